import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODE_APP, writeApp } from './fixtures';
import { RunningCli } from './run-cli';

const LISTENING = /Listening on http:\/\/127\.0\.0\.1:(\d+)/;

async function getMode(port: string | undefined): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port ?? ''}/mode`);
  return response.json();
}

describe('flagon dev', () => {
  let work: string;
  let running: RunningCli | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-dev-'));
  });

  afterAll(async () => {
    await running?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('runs src/app.ts in debug mode and restarts it when a file changes', async () => {
    const entry = writeApp(join(work, 'src', 'app.ts'), MODE_APP.replace('{{GREETING}}', 'first'));
    running = new RunningCli(['dev', '--port', '0'], { cwd: work });
    const [, firstPort] = await running.waitFor(LISTENING);
    expect(running.output).toContain('Watching src for changes');
    expect(await getMode(firstPort)).toMatchObject({
      greeting: 'first',
      debug: true,
      nodeEnv: 'development',
    });

    const mark = running.output.length;
    writeApp(entry, MODE_APP.replace('{{GREETING}}', 'second'));
    await running.waitFor(/Change in src[/\\]app\.ts: restarting/, mark);
    const [, secondPort] = await running.waitFor(LISTENING, mark);
    expect(await getMode(secondPort)).toMatchObject({ greeting: 'second', debug: true });

    // Replaced by a rename, as sed -i, Vim and JetBrains' safe write do: a new file (a new inode)
    // takes the old one's name. The watcher must see that change and the edits that follow.
    let from = running.output.length;
    const temporary = join(work, 'src', 'sedX1y2Z3');
    writeApp(temporary, MODE_APP.replace('{{GREETING}}', 'third'));
    renameSync(temporary, entry);
    const [, thirdPort] = await running.waitFor(LISTENING, from);
    expect(await getMode(thirdPort)).toMatchObject({ greeting: 'third' });

    from = running.output.length;
    writeApp(entry, MODE_APP.replace('{{GREETING}}', 'fourth'));
    await running.waitFor(/Change in src[/\\]app\.ts: restarting/, from);
    const [, fourthPort] = await running.waitFor(LISTENING, from);
    expect(await getMode(fourthPort)).toMatchObject({ greeting: 'fourth' });
  }, 120_000);
});
