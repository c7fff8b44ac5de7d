import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Child, waitForPort } from './processes';

const SEARCH_PATH = `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`;

/** The path of a command, installing its Debian package first (`apt-get install -y`) when it is missing. */
export function ensureCommand(command: string, debianPackage = command): string {
  const find = (): string =>
    spawnSync('sh', ['-c', `command -v ${command}`], {
      env: { ...process.env, PATH: SEARCH_PATH },
      encoding: 'utf8',
    }).stdout.trim();
  if (find() === '') {
    const apt = (args: readonly string[]): { status: number | null; stderr: string } =>
      spawnSync('apt-get', args, {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        encoding: 'utf8',
        timeout: 300_000,
      });
    let install = apt(['install', '-y', debianPackage]);
    // A fresh image may have no package lists yet.
    if (install.status !== 0 && apt(['update']).status === 0)
      install = apt(['install', '-y', debianPackage]);
    if (install.status !== 0 || find() === '')
      throw new Error(
        `${command} is missing and \`apt-get install -y ${debianPackage}\` failed: ${install.stderr}`,
      );
  }
  return find();
}

/**
 * The proxying part of a location, as docs/deployment.md shows it: HTTP/1.1 with keep-alive to the
 * upstream, the client's address and scheme in X-Forwarded-*, and a retry on the other instance when
 * one refuses the connection or answers 502/503 (an instance shutting down).
 */
export function proxyDirectives(upstream: string): string {
  return `
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;`;
}

/** An upstream block: round-robin over the instances, with idle connections kept for reuse. */
export function upstreamBlock(name: string, ports: readonly number[]): string {
  return `
  upstream ${name} {
${ports.map((port) => `    server 127.0.0.1:${port};`).join('\n')}
    keepalive 16;
    # Below the app's SERVER_KEEP_ALIVE_TIMEOUT (5 s): nginx, not the app, closes idle connections.
    keepalive_timeout 4s;
  }`;
}

/**
 * A whole nginx.conf for a test under `prefix`: everything nginx writes (pid, logs, temp files)
 * stays in that directory, and `servers` are the `server { }` blocks (with their upstreams).
 */
export function nginxConfig(prefix: string, blocks: string): string {
  return `
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'client-body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
${blocks}
}
`;
}

/** nginx in the foreground as a child, until `stop()`. */
export class Nginx {
  private constructor(
    private readonly child: Child,
    readonly prefix: string,
  ) {}

  /** Writes the config into `prefix`, starts nginx on it and waits until `port` accepts connections. */
  static async start(binary: string, prefix: string, config: string, port: number): Promise<Nginx> {
    // nginx's workers drop root for `nobody`, which must reach the temp directories inside the prefix.
    chmodSync(prefix, 0o755);
    const file = join(prefix, 'nginx.conf');
    writeFileSync(file, config);
    const child = new Child(binary, ['-p', prefix, '-c', file, '-g', 'daemon off;'], process.env);
    const nginx = new Nginx(child, prefix);
    try {
      await waitForPort(port, 15_000, () => child.isAlive);
    } catch (error) {
      await child.stop('SIGKILL');
      throw new Error(
        `${(error as Error).message}; nginx said: ${child.output} ${nginx.errorLog}`,
        {
          cause: error,
        },
      );
    }
    return nginx;
  }

  get errorLog(): string {
    try {
      return readFileSync(join(this.prefix, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM to the master (nginx's fast shutdown: it stops its workers, then exits). */
  stop(): Promise<number | null> {
    return this.child.stop('SIGTERM');
  }
}
