// Debian's nginx in front of Gatehouse nodes, configured with docs/scale-out.md's nginx block (read from that file,
// so the documented configuration is the tested and the benchmarked one). Used by test/helpers/cluster.ts (the cluster tests) and
// bench/scale-out/nodes.bench.ts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDataDir } from './gatehouse.ts';
import { freePort } from './redis.ts';

export const NGINX = '/usr/sbin/nginx';

/** docs/scale-out.md's nginx block, with the given node ports and listen port in place of the documented ones. */
export function documentedConfig(nodePorts: readonly number[], listenPort: number): string {
  const doc = readFileSync(join(ROOT, 'docs/scale-out.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/scale-out.md has an nginx block');
  const documented = block.match(/server 127\.0\.0\.1:\d+[^;]*;/g) ?? [];
  assert.ok(documented.length >= 1, 'the nginx block names its upstream servers');
  // One upstream line per node, written as the documented ones are (fewer or more nodes than the page's three).
  const template = documented[0]!;
  const servers = nodePorts.map((p) => template.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${p}`)).join('\n    ');
  return block
    .replace(/server 127\.0\.0\.1:\d+[^;]*;(\s*server 127\.0\.0\.1:\d+[^;]*;)*/, servers)
    .replace(/listen 8080;/, `listen 127.0.0.1:${listenPort};`);
}

export interface Nginx {
  endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts nginx (one worker, as the documented Debian setup on a small machine) in front of `nodePorts` and waits
 * until it answers /_gatehouse/health/live. `cpu`: pin it (taskset) to that CPU, for benchmarks.
 */
export async function startNginx(nodePorts: readonly number[], opts: { cpu?: number | string } = {}): Promise<Nginx> {
  assert.ok(existsSync(NGINX), `${NGINX} is needed (apt-get install nginx; .ci/run installs it)`);
  const dir = tempDataDir();
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d), { mode: 0o777 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    // As Debian's /etc/nginx/nginx.conf has it: workers as www-data (as nobody, uid 65534, they would be taken for a
    // function sandbox's user, whose control calls are refused).
    `user www-data;\ndaemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n` +
      `  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n${documentedConfig(nodePorts, port)}\n}\n`,
  );
  const argv = [NGINX, '-p', dir, '-c', join(dir, 'nginx.conf')];
  const child: ChildProcess =
    opts.cpu === undefined
      ? spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn('taskset', ['-c', String(opts.cpu), ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const started = Date.now();
  for (let last = ''; ; ) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${err}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    last = await fetch(`http://127.0.0.1:${port}/_gatehouse/health/live`).then((r) => String(r.status), (e: Error) => `${e.message} (${(e.cause as Error | undefined)?.message})`);
    if (last === '200') break;
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`nginx did not answer 200 on ${port} (last: ${last}): ${err}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}
