import { runCli } from './run-cli';

describe('flagon', () => {
  it('lists the commands with --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['new', 'dev', 'start', 'routes'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stdout).not.toMatch(/^ {2}serve /m);
  }, 60_000);

  it('exits 2 with the usage on an unknown command', async () => {
    const result = await runCli(['deploy'], { cwd: __dirname });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "deploy"');
    expect(result.stderr).toContain('Usage: flagon <command>');
  }, 60_000);

  it('exits 2 with the command usage on an unknown flag', async () => {
    const result = await runCli(['routes', '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--colour'");
    expect(result.stderr).toContain('Usage: flagon routes');
  }, 60_000);

  it('exits 2 on a --workers value that is neither a count nor auto', async () => {
    const result = await runCli(['start', '--workers', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--workers must be a whole number from 1 to 512, or auto; got "many"',
    );
  }, 60_000);

  it('exits 2 on a flag value out of range', async () => {
    const result = await runCli(['start', '--workers', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workers must be a whole number');
  }, 60_000);

  it.each(['new', 'dev', 'start', 'routes'])(
    'prints help for %s',
    async (command) => {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: flagon ${command}`);
    },
    60_000,
  );
});
