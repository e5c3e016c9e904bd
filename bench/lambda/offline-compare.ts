// Throughput of the same Lambda handler behind Gatehouse (REST API, AWS_PROXY) and behind serverless-offline 13
// (serverless 3, `http` event), measured with wrk on loopback.
//   ./node_modules/.bin/node bench/lambda/offline-compare.ts [--rounds N] [--duration S] [--connections C]
// serverless and serverless-offline live in bench/lambda/serverless-offline/ with their own node_modules, installed
// on first run; the project's own dependencies are untouched. Both servers run on 127.0.0.1 under the same Node
// binary as this script. serverless-offline is measured in both its modes for Node handlers: worker threads (its
// default, one thread per concurrent invocation, the closest to Lambda's environments) and --useInProcess (its
// fastest: every invocation in the server's own event loop). Besides req/s and latency, the CPU time each server
// (and its child processes: Gatehouse's execution environments) spent per request is read from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deployPetsProxyApi } from './bench-api.ts';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { request } from 'undici';
import { clients, spawnGatehouse, tempDataDir, ROOT } from '../../test/helpers/gatehouse.ts';
import { createFunction } from '../../test/functions/helpers.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '6' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    // Profiling aids: measure Gatehouse alone, and pass NODE_OPTIONS to its main process (e.g. '--cpu-prof
    // --cpu-prof-dir=/tmp/prof', or '--perf-basic-prof' for `perf record`).
    'gatehouse-only': { type: 'boolean', default: false },
    'gatehouse-node-options': { type: 'string' },
  },
});
const ROUNDS = Number(args.rounds);
const WRK = ['-t', args.threads!, '-c', args.connections!];
const OFFLINE_DIR = join(ROOT, 'bench/lambda/serverless-offline');
const HANDLER = readFileSync(join(OFFLINE_DIR, 'index.mjs'), 'utf8');
const RUNTIME = 'nodejs20.x'; // serverless 3's configuration schema stops at nodejs20.x; both run on this Node anyway
const PATH = '/prod/pets/42?q=1';

function ensurePrerequisites() {
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is missing: apt-get install wrk');
  if (!existsSync(join(OFFLINE_DIR, 'node_modules/serverless-offline/package.json'))) {
    console.error(`installing serverless and serverless-offline into ${OFFLINE_DIR}/node_modules`);
    const r = spawnSync('npm', ['install', '--prefix', OFFLINE_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm install failed');
  }
}

const version = (pkg: string) => JSON.parse(readFileSync(join(OFFLINE_DIR, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

interface Server {
  name: string;
  url: string;
  headers: string[];
  pids(): number[];
  stop(): Promise<void>;
  /** What the server logged about failures, printed when wrk saw errors. */
  diagnose?(): string;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    child.once('exit', () => res());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** The process and its descendants (Gatehouse's execution environments are child processes). */
function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process exited while listing
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  return out;
}

/** CPU seconds (user + system) used so far by each process; 100 clock ticks a second on Linux. */
function cpuSeconds(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // exited
    }
  }
  return out;
}

function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return kb / 1024;
}

async function startOffline(mode: 'worker threads' | 'in process'): Promise<Server> {
  const httpPort = await freePort();
  const lambdaPort = await freePort();
  const flags = ['offline', 'start', '--host', '127.0.0.1', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort), '--noTimeout', '--noSponsor'];
  if (mode === 'in process') flags.push('--useInProcess');
  // serverless 3 runs offline with telemetry and notifications off; no AWS account or login is involved.
  const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*' };
  const child = spawn(process.execPath, [join(OFFLINE_DIR, 'node_modules/serverless/bin/serverless.js'), ...flags], { cwd: OFFLINE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let ready = () => {};
  // serverless-offline logs two lines per request; they are read (and dropped) so the pipe never blocks it.
  const collect = (d: Buffer) => {
    if (out.length < 20_000) out += d;
    if (out.includes('Server ready')) ready();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  try {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`serverless-offline did not start:\n${out}`)), 60_000);
      ready = () => {
        clearTimeout(timer);
        res();
      };
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`serverless-offline exited with ${code}:\n${out}`));
      });
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    name: `serverless-offline, ${mode}`,
    url: `http://127.0.0.1:${httpPort}${PATH}`,
    headers: [],
    pids: () => processTree(child.pid!),
    stop: () => stopChild(child),
  };
}

async function startGatehouseApi(): Promise<Server> {
  const dataDir = tempDataDir();
  const nodeOptions = args['gatehouse-node-options'];
  const gh = await spawnGatehouse({ dataDir, dev: false, env: nodeOptions ? { NODE_OPTIONS: nodeOptions } : {} });
  const { apigateway: ag, lambda } = clients(gh.endpoint);
  await createFunction(lambda, 'bench', { 'index.mjs': HANDLER }, { runtime: RUNTIME });
  await lambda.send(new AddPermissionCommand({ FunctionName: 'bench', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  const api = { id: await deployPetsProxyApi(ag) };
  ag.destroy();
  lambda.destroy();
  return {
    name: 'Gatehouse, AWS_PROXY',
    url: `${gh.endpoint}${PATH}`,
    headers: [`Host: ${api.id}.execute-api.us-east-1.amazonaws.com`],
    pids: () => processTree(gh.child.pid!),
    diagnose() {
      const log = join(dataDir, 'functions/us-east-1/bench/function.log');
      const failures = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /error|timed out|Status: /i.test(l)) : [];
      return `Gatehouse output:\n${gh.output().slice(-2000)}\nfunction log, failure lines (last 20 of ${failures.length}):\n${failures.slice(-20).join('\n')}`;
    },
    async stop() {
      await gh.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One GET, to prove the route answers 200 with the handler's echo of a proxy event before it is loaded. */
async function check(s: Server) {
  const headers = Object.fromEntries(s.headers.map((h) => h.split(': ') as [string, string]));
  const res = await request(s.url, { headers });
  const body = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${s.name} answered ${res.statusCode}: ${body}`);
  const event = JSON.parse(body);
  if (event.pathParameters?.id !== '42' || event.queryStringParameters?.q !== '1') throw new Error(`${s.name}: unexpected event ${body}`);
}

interface Result {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  /** wrk's own words for them: non-2xx responses and socket errors (connect, read, write, timeout > 2 s). */
  errorText: string;
  /** CPU microseconds per request in the server's main process and in its child processes. */
  cpuMain?: number;
  cpuChildren?: number;
}

const ms = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

function wrk(s: Server, seconds: string): Promise<Result> {
  const argv = [...WRK, '-d', `${seconds}s`, '--latency', ...s.headers.flatMap((h) => ['-H', h]), s.url];
  return new Promise((res, rej) => {
    const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return rej(new Error(`wrk exited with ${code}:\n${out}`));
      const lat = (p: string) => {
        const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out);
        return m ? ms(m[1]!, m[2]!) : NaN;
      };
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const sockErr = /Socket errors: (.*)/.exec(out)?.[1];
      const socket = sockErr ? [...sockErr.matchAll(/\d+/g)].reduce((a, m) => a + Number(m[0]), 0) : 0;
      const errorText = [non2xx ? `${non2xx} non-2xx` : '', socket ? `socket errors: ${sockErr}` : ''].filter(Boolean).join(', ');
      res({ rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), requests: Number(/(\d+) requests in /.exec(out)![1]), p50: lat('50'), p99: lat('99'), errors: non2xx + socket, errorText });
    });
  });
}

ensurePrerequisites();
const servers: Server[] = [];
const results = new Map<string, Result[]>();
const rss = new Map<string, number>();
try {
  servers.push(await startGatehouseApi());
  if (!args['gatehouse-only']) {
    servers.push(await startOffline('worker threads'));
    servers.push(await startOffline('in process'));
  }
  for (const s of servers) await check(s);
  for (const s of servers) await wrk(s, args.warmup!); // warm environments / worker threads for every connection
  // Rounds interleave the servers so a change in the shared machine's load hits all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of servers) {
      const root = s.pids()[0]!;
      const before = cpuSeconds(s.pids());
      const r = await wrk(s, args.duration!);
      const after = cpuSeconds(s.pids());
      const requests = r.requests;
      let children = 0;
      for (const [pid, t] of after) if (pid !== root) children += t - (before.get(pid) ?? 0);
      r.cpuMain = ((after.get(root)! - before.get(root)!) / requests) * 1e6;
      r.cpuChildren = (children / requests) * 1e6;
      if (r.errors) console.error(`round ${round + 1} ${s.name}: ${r.errorText}${s.diagnose ? `\n${s.diagnose()}` : ''}`);
      results.set(s.name, [...(results.get(s.name) ?? []), r]);
      rss.set(s.name, Math.max(rss.get(s.name) ?? 0, rssMb(s.pids())));
      console.error(`round ${round + 1} ${s.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, CPU/request ${r.cpuMain!.toFixed(0)} µs main + ${r.cpuChildren!.toFixed(0)} µs children`);
    }
  }
} finally {
  for (const s of servers.reverse()) await s.stop();
}

// Per server, the round with the median throughput (the better one when there are two).
const pick = (rs: Result[]) => [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)]!;
const gh = pick(results.get('Gatehouse, AWS_PROXY')!);
console.log(`| server | req/s | p50 (ms) | p99 (ms) | CPU µs/request (main + children) | RSS after load (MB) | errors (all rounds) | Gatehouse ratio |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const [name, rs] of results) {
  const r = pick(rs);
  console.log(`| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuMain!.toFixed(0)} + ${r.cpuChildren!.toFixed(0)} | ${rss.get(name)!.toFixed(0)} | ${rs.reduce((n, x) => n + x.errors, 0)} | ${(gh.rps / r.rps).toFixed(2)}× |`);
}
console.log(
  `\nwrk ${WRK.join(' ')} -d ${args.duration}s --latency (after a ${args.warmup}s warm-up per server), ${ROUNDS} interleaved rounds, ` +
    `GET ${PATH}; node ${process.version}, serverless ${version('serverless')}, serverless-offline ${version('serverless-offline')}; ` +
    `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
