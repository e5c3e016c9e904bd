// A server that fails clearly: every way `gatehouse serve` can fail to start ends with one line on stderr naming the
// cause and the path or value, exit code 1 and no stack trace. Also the data-directory lock and `--version`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CreateRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { clients, ROOT, spawnGatehouse, startGatehouse } from '../helpers/gatehouse.ts';
import { tempDataDir } from '../helpers/temp.ts';
import { freshDatabaseUrl } from '../helpers/postgres.ts';

const MAIN = join(ROOT, 'src/cli/main.ts');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without any GATEHOUSE_* or AWS region setting of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(GATEHOUSE_|AWS_REGION|AWS_DEFAULT_REGION)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/**
 * Runs a command to its end. With `unprivileged`, a root test runner drops to uid/gid 65534 first (setpriv), since
 * root reads and writes through any file mode and so cannot see permission errors.
 */
function run(argv: string[], opts: { env?: Record<string, string>; unprivileged?: boolean } = {}): Promise<Outcome> {
  let [cmd, ...args] = argv as [string, ...string[]];
  if (opts.unprivileged && process.getuid?.() === 0) {
    args = ['--reuid=65534', '--regid=65534', '--clear-groups', cmd, ...args];
    cmd = 'setpriv';
  }
  const child = spawn(cmd, args, { cwd: ROOT, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 20 s:\n${stdout}${stderr}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // 'exit' may come before the pipes are drained.
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
  });
}

function serve(args: string[], opts: { env?: Record<string, string>; unprivileged?: boolean } = {}): Promise<Outcome> {
  return run([process.execPath, MAIN, 'serve', ...args], opts);
}

/** Exit code 1, nothing on stdout, and exactly `line` on stderr: one line, no stack trace. */
function assertFailsWith(o: Outcome, line: string | RegExp): void {
  assert.equal(o.code, 1, `exit code; stderr: ${o.stderr}`);
  assert.equal(o.stdout, '');
  assert.doesNotMatch(o.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(o.stderr.endsWith('\n'), true);
  const lines = o.stderr.slice(0, -1).split('\n');
  assert.equal(lines.length, 1, `one line: ${o.stderr}`);
  if (typeof line === 'string') assert.equal(lines[0], line);
  else assert.match(lines[0]!, line);
}

/** A port something else is listening on. */
async function occupiedPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, close: () => new Promise((r) => server.close(() => r())) };
}

test('port in use: names the port and the host (through bin/gatehouse)', async () => {
  const other = await occupiedPort();
  try {
    const o = await run([join(ROOT, 'bin/gatehouse'), 'serve', '--port', String(other.port), '--data-dir', tempDataDir()]);
    assertFailsWith(
      o,
      `gatehouse: port ${other.port} on 127.0.0.1 is already in use (EADDRINUSE); stop what listens on 127.0.0.1:${other.port} or choose another --port`,
    );
  } finally {
    await other.close();
  }
});

test('port in use: the data directory is released, so a retry on a free port starts', async () => {
  const other = await occupiedPort();
  const dataDir = tempDataDir();
  try {
    assertFailsWith(await serve(['--port', String(other.port), '--data-dir', dataDir]), /already in use/);
  } finally {
    await other.close();
  }
  const gh = await spawnGatehouse({ dataDir });
  assert.equal(await gh.stop(), 0);
});

test('the HTTPS port in use: names that port and its flag', async () => {
  const other = await occupiedPort();
  try {
    const o = await serve(['--port', '0', '--tls-port', String(other.port), '--data-dir', tempDataDir()]);
    assertFailsWith(o, /^gatehouse: .*\(EADDRINUSE\)/);
    for (const part of [`127.0.0.1:${other.port}`, '--tls-port']) assert.ok(o.stderr.includes(part), `${part} in ${o.stderr}`);
  } finally {
    await other.close();
  }
});

test('bad --host: a host name that does not resolve, an address not on this machine, text that is no host', async () => {
  const dataDir = tempDataDir();
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir, '--host', 'no-such-host.invalid']),
    // ENOTFOUND, or EAI_AGAIN where no DNS server answers at all.
    /^gatehouse: cannot listen on no-such-host\.invalid \(--host\): not an IP address or a host name that resolves \((ENOTFOUND|EAI_AGAIN)\)$/,
  );
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir, '--host', '192.0.2.1']),
    'gatehouse: cannot listen on 192.0.2.1 (--host): no network interface of this machine has that address (EADDRNOTAVAIL)',
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir, '--host', 'two words']),
    `gatehouse: option '--host <host>' argument 'two words' is invalid. not an IP address or a host name`,
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir], { env: { GATEHOUSE_HOST: '999.1.1.1' } }),
    /^gatehouse: cannot listen on 999\.1\.1\.1 \(GATEHOUSE_HOST\): not an IP address or a host name that resolves \((ENOTFOUND|EAI_AGAIN)\)$/,
  );
});

test('an IPv6 --host, bracketed or not, is listened on and printed in URL form', async () => {
  // Containers may run without IPv6: then the same flags must fail with the one line naming the address.
  const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));
  if (!hasIpv6Loopback) {
    for (const host of ['::1', '[::1]']) {
      assertFailsWith(
        await serve(['--port', '0', '--host', host, '--data-dir', tempDataDir()]),
        /^gatehouse: cannot listen on ::1 \(--host\): .*\((EADDRNOTAVAIL|EAFNOSUPPORT)\)$/,
      );
    }
    return;
  }
  for (const host of ['::1', '[::1]']) {
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--host', host, '--data-dir', tempDataDir()], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /listening on http:\/\/\[::1\]:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const r = await fetch(`http://[::1]:${port}/_gatehouse/health`);
    assert.equal(r.status, 200);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

test('a privileged port as an ordinary user: names the port and why', async () => {
  // Where the kernel lets anyone bind low ports (net.ipv4.ip_unprivileged_port_start=0), there is nothing to refuse.
  const firstUnprivileged = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  assert.ok(Number.isInteger(firstUnprivileged));
  if (firstUnprivileged <= 80) return;
  const dataDir = tempDataDir();
  chmodSync(dataDir, 0o777);
  assertFailsWith(await serve(['--port', '80', '--data-dir', dataDir], { unprivileged: true }), 'gatehouse: not allowed to listen on port 80 on 127.0.0.1 (EACCES); ports below 1024 need privileges, choose another --port');
});

test('bad --port', async () => {
  assertFailsWith(await serve(['--port', 'http', '--data-dir', tempDataDir()]), `gatehouse: option '--port <port>' argument 'http' is invalid. not a port number (0-65535)`);
  assertFailsWith(await serve(['--port', '70000', '--data-dir', tempDataDir()]), `gatehouse: option '--port <port>' argument '70000' is invalid. not a port number (0-65535)`);
});

test('bad --user-pool-jwks and GATEHOUSE_USER_POOL_JWKS values: what is wrong, with an example', async () => {
  const dir = tempDataDir();
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dir, '--user-pool-jwks', 'us-east-1_AbC123']),
    `gatehouse: option '--user-pool-jwks <POOL_ID=URL>' argument 'us-east-1_AbC123' is invalid. not POOL_ID=URL with a Cognito user pool id such as us-east-1_AbC123 (e.g. us-east-1_AbC123=https://issuer.example/.well-known/jwks.json)`,
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dir, '--user-pool-jwks', 'us-east-1_AbC123=ftp://x/jwks']),
    `gatehouse: option '--user-pool-jwks <POOL_ID=URL>' argument 'us-east-1_AbC123=ftp://x/jwks' is invalid. not POOL_ID=URL: the JWKS URL must be http or https`,
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dir, '--user-pool-jwks', 'us-east-1_A1=http://a/jwks', '--user-pool-jwks', 'us-east-1_A1=http://b/jwks']),
    'gatehouse: --user-pool-jwks: user pool us-east-1_A1 is given two JWKS URLs (http://a/jwks and http://b/jwks)',
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dir], { env: { GATEHOUSE_USER_POOL_JWKS: 'us-east-1_A1=not a url' } }),
    'gatehouse: GATEHOUSE_USER_POOL_JWKS="us-east-1_A1=not a url" is not POOL_ID=URL: "not a url" is not a URL (e.g. us-east-1_AbC123=https://issuer.example/.well-known/jwks.json)',
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dir], { env: { GATEHOUSE_USER_POOL_JWKS_TIMEOUT_MS: '5s' } }),
    'gatehouse: GATEHOUSE_USER_POOL_JWKS_TIMEOUT_MS="5s" is not a number of milliseconds',
  );
});

test('bad environment values name the variable and the value', async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ GATEHOUSE_PORT: 'abc' }, 'gatehouse: GATEHOUSE_PORT="abc" is not a port number (0-65535)'],
    [{ GATEHOUSE_PORT: '-1' }, 'gatehouse: GATEHOUSE_PORT="-1" is not a port number (0-65535)'],
    [{ GATEHOUSE_ACCOUNT_ID: 'xyz' }, 'gatehouse: GATEHOUSE_ACCOUNT_ID="xyz" is not an AWS account id (12 digits)'],
    [{ GATEHOUSE_ACCOUNT_ID: '12345678901' }, 'gatehouse: GATEHOUSE_ACCOUNT_ID="12345678901" is not an AWS account id (12 digits)'],
    [{ GATEHOUSE_DEV: 'maybe' }, 'gatehouse: GATEHOUSE_DEV="maybe" is not a switch (use 1 or 0, true or false)'],
    [{ GATEHOUSE_HOST: 'a b' }, 'gatehouse: GATEHOUSE_HOST="a b" is not an IP address or a host name'],
    [{ AWS_REGION: 'US East' }, 'gatehouse: AWS_REGION="US East" is not an AWS region name (e.g. us-east-1)'],
    [{ GATEHOUSE_LAMBDA_IDLE_TIMEOUT_MS: '10m' }, 'gatehouse: GATEHOUSE_LAMBDA_IDLE_TIMEOUT_MS="10m" is not a non-negative number'],
    [{ GATEHOUSE_LAMBDA_ASYNC_RETRY_DELAYS_MS: '1000,soon' }, 'gatehouse: GATEHOUSE_LAMBDA_ASYNC_RETRY_DELAYS_MS="1000,soon" is not a comma-separated list of numbers'],
  ];
  for (const [env, line] of cases) assertFailsWith(await serve(['--port', '0', '--data-dir', tempDataDir()], { env }), line);
});

test('a data directory that is a file, or under a file', async () => {
  const file = join(tempDataDir(), 'plain-file');
  writeFileSync(file, 'x');
  assertFailsWith(await serve(['--port', '0', '--data-dir', file]), `gatehouse: the data directory ${file} is not a directory`);
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', join(file, 'state')]),
    `gatehouse: cannot create the data directory ${join(file, 'state')}: a part of the path is not a directory (ENOTDIR)`,
  );
});

test('a corrupt data directory: its database file is garbage', async () => {
  const dataDir = tempDataDir();
  writeFileSync(join(dataDir, 'gatehouse.db'), Buffer.alloc(8192, 'not a database '));
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir]),
    `gatehouse: ${join(dataDir, 'gatehouse.db')} is corrupt or not a SQLite database (SQLite: file is not a database)`,
  );
});

test('a damaged lock file is replaced (it holds no data); the server starts', async () => {
  const dataDir = tempDataDir();
  writeFileSync(join(dataDir, 'gatehouse.lock'), Buffer.alloc(4096, 'garbage '));
  const gh = await spawnGatehouse({ dataDir });
  assert.equal(readFileSync(join(dataDir, 'gatehouse.pid'), 'utf8'), `${gh.child.pid}\n`);
  assert.equal(await gh.stop(), 0);
});

test('a database damaged in the middle (pages overwritten) is refused at startup, not at the first request', async () => {
  const dataDir = tempDataDir();
  const seeded = await startGatehouse({ dataDir });
  for (let i = 0; i < 60; i++) await seeded.apigateway.send(new CreateRestApiCommand({ name: `api-${i}`, description: 'x'.repeat(500) }));
  await seeded.stop();
  const file = join(dataDir, 'gatehouse.db');
  const bytes = readFileSync(file);
  assert.ok(bytes.length > 4096 * 6, `database of ${bytes.length} bytes`);
  bytes.fill(0xff, 4096 * 3, 4096 * 5);
  writeFileSync(file, bytes);
  assertFailsWith(await serve(['--port', '0', '--data-dir', dataDir]), new RegExp(`^gatehouse: ${file} is corrupt`));
});

test('a database written by a newer Gatehouse is refused, not migrated backwards', async () => {
  const dataDir = tempDataDir();
  const db = new DatabaseSync(join(dataDir, 'gatehouse.db'));
  db.exec('PRAGMA user_version = 999');
  db.close();
  assertFailsWith(await serve(['--port', '0', '--data-dir', dataDir]), new RegExp(`^gatehouse: ${join(dataDir, 'gatehouse.db')} was written by a newer Gatehouse \\(schema version 999; this one knows up to \\d+\\)$`));
});

test('unreadable, read-only data directories and a read-only database file', async () => {
  // Run as an unprivileged user when the tests run as root (see run()).
  const unreadable = join(tempDataDir(), 'state');
  mkdirSync(unreadable);
  chmodSync(unreadable, 0o000);
  chmodSync(join(unreadable, '..'), 0o755);
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', unreadable], { unprivileged: true }),
    `gatehouse: the data directory ${unreadable} is not readable: permission denied (EACCES)`,
  );

  const readOnly = join(tempDataDir(), 'state');
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o555);
  chmodSync(join(readOnly, '..'), 0o755);
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', readOnly], { unprivileged: true }),
    `gatehouse: the data directory ${readOnly} is not writable: permission denied (EACCES)`,
  );

  const missingParent = join(readOnly, 'below');
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', missingParent], { unprivileged: true }),
    `gatehouse: cannot create the data directory ${missingParent}: ${readOnly} is not writable: permission denied (EACCES)`,
  );

  // A directory the user may write, holding a database file it may only read (restored from a backup as root, say).
  const dataDir = tempDataDir();
  const seeded = await startGatehouse({ dataDir });
  await seeded.stop();
  chmodSync(dataDir, 0o777);
  chmodSync(join(dataDir, 'gatehouse.db'), 0o444);
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir], { unprivileged: true }),
    `gatehouse: ${join(dataDir, 'gatehouse.db')} is not writable: permission denied (EACCES)`,
  );
  chmodSync(join(dataDir, 'gatehouse.db'), 0o000);
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', dataDir], { unprivileged: true }),
    `gatehouse: ${join(dataDir, 'gatehouse.db')} is not readable: permission denied (EACCES)`,
  );
});

test('a data directory on a read-only file system (a read-only bind mount, as a container volume may be)', async () => {
  const dataDir = tempDataDir();
  const seeded = await startGatehouse({ dataDir });
  await seeded.stop();
  const inBwrap = (args: string[]) =>
    run(['bwrap', '--dev-bind', '/', '/', '--ro-bind', dataDir, dataDir, process.execPath, MAIN, 'serve', '--port', '0', ...args]);
  assertFailsWith(await inBwrap(['--data-dir', dataDir]), `gatehouse: the data directory ${dataDir} is not writable: read-only file system (EROFS)`);
  assertFailsWith(
    await inBwrap(['--data-dir', join(dataDir, 'state', 'deeper')]),
    `gatehouse: cannot create the data directory ${join(dataDir, 'state', 'deeper')}: ${dataDir} is not writable: read-only file system (EROFS)`,
  );
});

test('one server per data directory: a second refuses, naming the first one’s pid', async () => {
  const dataDir = tempDataDir();
  const first = await spawnGatehouse({ dataDir });
  try {
    assertFailsWith(
      await serve(['--port', '0', '--data-dir', dataDir]),
      `gatehouse: the data directory ${dataDir} is in use by another Gatehouse (pid ${first.child.pid}); stop it or choose another --data-dir`,
    );
    // The refused server did not disturb the first one.
    const c = clients(first.endpoint).apigateway;
    assert.deepEqual((await c.send(new GetRestApisCommand({}))).items, []);
    c.destroy();
  } finally {
    assert.equal(await first.stop(), 0);
  }
  // A clean stop releases the lock and removes the pid file.
  const second = await spawnGatehouse({ dataDir });
  assert.equal(await second.stop(), 0);
});

test('two servers started at the same moment on one directory: exactly one runs', async () => {
  const dataDir = tempDataDir();
  const start = () => {
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data-dir', dataDir], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Settles when the server is listening ('running') or has exited and its output is all read ('exited').
    const settled = new Promise<'running' | 'exited'>((resolve) => {
      child.stdout.on('data', () => /listening on/.test(stdout) && resolve('running'));
      child.on('close', () => resolve('exited'));
    });
    return { child, settled, out: () => ({ stdout, stderr }) };
  };
  const a = start();
  const b = start();
  const outcomes = await Promise.all([a.settled, b.settled]);
  assert.deepEqual([...outcomes].sort(), ['exited', 'running']);
  const [winner, loser] = outcomes[0] === 'running' ? [a, b] : [b, a];
  assert.equal(loser.child.exitCode, 1);
  assert.equal(loser.out().stderr, `gatehouse: the data directory ${dataDir} is in use by another Gatehouse (pid ${winner.child.pid}); stop it or choose another --data-dir\n`);
  const exited = new Promise((r) => winner.child.once('exit', r));
  winner.child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('a server killed with SIGKILL leaves no lock behind', async () => {
  const dataDir = tempDataDir();
  const first = await spawnGatehouse({ dataDir });
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  // Its pid file is still there, naming a dead process; it must not block.
  assert.equal(readFileSync(join(dataDir, 'gatehouse.pid'), 'utf8'), `${first.child.pid}\n`);
  const again = await spawnGatehouse({ dataDir });
  try {
    assert.equal(readFileSync(join(dataDir, 'gatehouse.pid'), 'utf8'), `${again.child.pid}\n`);
    const r = await fetch(`${again.endpoint}/_gatehouse/health`);
    assert.equal(r.status, 200);
  } finally {
    assert.equal(await again.stop(), 0);
  }
});

test('the lock holds within one process too (an embedded Gatehouse)', async () => {
  const gh = await startGatehouse();
  try {
    await assert.rejects(startGatehouse({ dataDir: gh.dataDir }), {
      name: 'DataDirError',
      message: `the data directory ${gh.dataDir} is in use by another Gatehouse (pid ${process.pid}); stop it or choose another --data-dir`,
    });
    // The refused attempt closed its own handle on the lock file; the holder's lock is intact (POSIX locks belong to
    // the process, and SQLite keeps the holder's descriptor open).
    assertFailsWith(
      await serve(['--port', '0', '--data-dir', gh.dataDir]),
      `gatehouse: the data directory ${gh.dataDir} is in use by another Gatehouse (pid ${process.pid}); stop it or choose another --data-dir`,
    );
  } finally {
    await gh.stop();
  }
});

test('gatehouse --version, bin/gatehouse --version and npm start -- --version', async () => {
  for (const argv of [
    [process.execPath, MAIN, '--version'],
    [join(ROOT, 'bin/gatehouse'), '--version'],
    [join(ROOT, 'bin/gatehouse'), 'serve', '--version'],
    ['npm', 'start', '--silent', '--', '--version'],
  ]) {
    const o = await run(argv);
    assert.deepEqual(o, { code: 0, stdout: `gatehouse ${VERSION}\n`, stderr: '' }, argv.join(' '));
  }
});

test('scale-out: a database URL that is not postgres, or a server that cannot be reached, is named in one line (never its password)', async () => {
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', tempDataDir(), '--database-url', 'mysql://db/x']),
    `gatehouse: option '--database-url <url>' argument 'mysql://db/x' is invalid. not a postgres:// URL (scheme mysql)`,
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', tempDataDir()], { env: { GATEHOUSE_DATABASE_URL: 'postgres://gh:s3cret@/db' } }),
    'gatehouse: GATEHOUSE_DATABASE_URL="postgres://gh:***@/db" is not a URL (e.g. postgres://user@127.0.0.1:5432/gatehouse)',
  );
  assertFailsWith(
    await serve(['--port', '0', '--data-dir', tempDataDir()], { env: { GATEHOUSE_DATABASE_URL: 'postgres://gh:s3cret@127.0.0.1:1/gatehouse' } }),
    'gatehouse: cannot use PostgreSQL at gh@127.0.0.1:1/gatehouse (--database-url / GATEHOUSE_DATABASE_URL): connection refused: is PostgreSQL running and listening there? (ECONNREFUSED)',
  );
});

test('scale-out: the data directory is not locked: two nodes on one PostgreSQL start from the same directory', async () => {
  const dataDir = tempDataDir();
  const env = { GATEHOUSE_DATABASE_URL: await freshDatabaseUrl() };
  const first = await spawnGatehouse({ dataDir, env });
  const second = await spawnGatehouse({ dataDir, env });
  try {
    assert.match(first.output(), /state in PostgreSQL postgres@127\.0\.0\.1:5432\/test \(scale-out\)/);
    await clients(first.endpoint).apigateway.send(new CreateRestApiCommand({ name: 'shared' }));
    const listed = await clients(second.endpoint).apigateway.send(new GetRestApisCommand({}));
    assert.deepEqual(listed.items!.map((a) => a.name), ['shared']);
  } finally {
    assert.equal(await first.stop(), 0);
    assert.equal(await second.stop(), 0);
  }
});
