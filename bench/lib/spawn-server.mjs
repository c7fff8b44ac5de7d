// Starting a bench server and waiting for the port it announces: shared by run.mjs and instructions.mjs.
import { spawn } from 'node:child_process';

/**
 * Spawns `command args` for one (framework, scenario) job with BENCH_SCENARIO set, and resolves
 * once it prints `listening <port>`; rejects when it exits first, or stays silent for `timeoutMs`
 * (then it is killed).
 */
export async function spawnServer(command, args, { target, scenario, cwd, env, timeoutMs }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...env, BENCH_SCENARIO: scenario.module ?? scenario.name, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stderr: '' };
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  const port = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${target.name}/${scenario.name}: no port after ${timeoutMs / 1000} s\n${output.stderr}`,
        ),
      );
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target.name}/${scenario.name} exited with ${code}\n${output.stderr}`));
    });
  });
  return { child, port, output };
}
