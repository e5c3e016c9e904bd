// HTTPS benchmark: HTTP_PROXY through Gatehouse's TLS listener (`--tls-port`) against a bare node:https server that
// proxies with an undici Pool, both presenting the same certificate, in front of the same node:http backend.
// Gatehouse is reached through a custom domain name (Host `bench.example.localhost`, base path mapping `(none)`), so
// the custom-domain routing is measured too. Method as bench/execute/run.ts, with CPUs kept apart on this 2-core
// machine: the servers run pinned to CPU 0 (taskset), wrk -t1 -c50 to CPU 1; 3 interleaved rounds, medians.
// Usage: ./node_modules/.bin/node bench/execute/https.ts [seconds per run, default 5] [rounds, default 3]
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { Pool } from 'undici';
import { startBenchGatehouse } from './bench-api.ts';
import { startPinnedServer, type BenchServer } from './bench-server.ts';

const DOMAIN = 'bench.example.localhost';
const kind = process.argv[2];

function ready(info: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

// CPU accounting (as bench/execute/servers.ts): the runner asks for the process's CPU time around each run, a
// figure the other work on a shared machine disturbs far less than wall-clock throughput.
if (kind === 'bare-https' || kind === 'gatehouse-https') {
  // Profiling runs (--cpu-prof) need a normal exit to write the profile.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGUSR2', () => {
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMicros: u.user + u.system })}\n`);
  });
}

if (kind === 'bare-https') {
  // node:https in front, undici Pool behind: the ceiling for an HTTPS HTTP_PROXY.
  const [, , , backendPort, cert, key] = process.argv;
  const pool = new Pool(`http://127.0.0.1:${backendPort}`, { connections: 128 });
  const server = createHttpsServer({ cert: readFileSync(cert!), key: readFileSync(key!), keepAliveTimeout: 65_000 }, (req, res) => {
    pool.stream({ path: req.url!.replace(/^\/bench\/proxy/, ''), method: req.method as 'GET', headers: req.headers, body: req.method === 'GET' ? undefined : req }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, headers as Record<string, string>);
      return res;
    }).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => ready({ port: (server.address() as { port: number }).port }));
} else if (kind === 'gatehouse-https') {
  const [, , , backendPort, cert, key] = process.argv;
  const { gh, port, apiId } = await startBenchGatehouse(Number(backendPort), { tlsPort: 0, tlsCert: cert, tlsKey: key });
  const c = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' } });
  await c.send(new AG.CreateDomainNameCommand({ domainName: DOMAIN, certificateName: 'bench', certificateBody: readFileSync(cert!, 'utf8'), certificatePrivateKey: readFileSync(key!, 'utf8') }));
  await c.send(new AG.CreateBasePathMappingCommand({ domainName: DOMAIN, restApiId: apiId, stage: 'bench' }));
  c.destroy();
  ready({ port: gh.tls!.port, apiId });
} else if (kind === undefined || /^\d+$/.test(kind)) {
  await run(Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 3));
} else {
  console.error(`unknown kind ${kind}`);
  process.exit(2);
}


interface Run {
  rps: number;
  p50: number;
  non2xx: number;
  requests: number;
  /** Server CPU µs per request. */
  cpu?: number;
}

function wrk(url: string, seconds: number, host?: string): Run {
  const args = ['-c', '1', 'wrk', '-t1', '-c50', `-d${seconds}s`, '--latency'];
  if (host) args.push('-H', `Host: ${host}`);
  args.push(url);
  const r = spawnSync('taskset', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const m = /\s50%\s+([\d.]+)(us|ms|s)/.exec(r.stdout)!;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
    p50: Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
  };
}

async function measured(url: string, seconds: number, host: string | undefined, server: BenchServer): Promise<Run> {
  const before = await server.cpu();
  const r = wrk(url, seconds, host);
  return { ...r, cpu: ((await server.cpu()) - before) / r.requests };
}

async function run(seconds: number, rounds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  // One certificate for both servers: localhost (what wrk's SNI says) and the custom domain.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', `subjectAltName=DNS:localhost,DNS:${DOMAIN}`], { stdio: 'ignore' });
  const script = import.meta.filename;
  const servers: ChildProcess[] = [];
  try {
    const backend = await startPinnedServer([join(import.meta.dirname, 'servers.ts'), 'backend']);
    servers.push(backend.child);
    const bare = await startPinnedServer([script, 'bare-https', String(backend.port), cert, key]);
    servers.push(bare.child);
    const gatehouse = await startPinnedServer([script, 'gatehouse-https', String(backend.port), cert, key]);
    servers.push(gatehouse.child);
    const targets: Record<string, [string, string | undefined, BenchServer]> = {
      'bare node:https + undici proxy': [`https://localhost:${bare.port}/bench/proxy/x`, undefined, bare],
      'Gatehouse HTTPS HTTP_PROXY (custom domain)': [`https://localhost:${gatehouse.port}/proxy/x`, DOMAIN, gatehouse],
      'Gatehouse HTTPS HTTP_PROXY (execute-api host)': [`https://localhost:${gatehouse.port}/bench/proxy/x`, `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`, gatehouse],
    };
    for (const [url, host] of Object.values(targets)) wrk(url, 2, host); // warm-up
    const results: Record<string, Run[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, [url, host, server]] of Object.entries(targets)) (results[name] ??= []).push(await measured(url, seconds, host, server));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`wrk -t1 -c50 on CPU 1, servers on CPU 0, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
    console.log('| server | req/s | server CPU µs/req | p50 ms | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, rs] of Object.entries(results)) {
      console.log(`| ${name} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.cpu!)).toFixed(1)} | ${median(rs.map((r) => r.p50)).toFixed(3)} | ${rs.reduce((a, r) => a + r.non2xx, 0)} |`);
    }
    const [bareRuns, ghRuns] = Object.values(results) as [Run[], Run[]];
    const perRound = ghRuns.map((r, i) => (r.rps / bareRuns[i]!.rps).toFixed(2)).join(', ');
    console.log(`\nHTTPS HTTP_PROXY / bare node:https + undici proxy: ${(median(ghRuns.map((r) => r.rps)) / median(bareRuns.map((r) => r.rps))).toFixed(2)} (target >= 0.8; per round: ${perRound})`);
    const cpuRatio = median(bareRuns.map((r) => r.cpu!)) / median(ghRuns.map((r) => r.cpu!));
    console.log(`CPU-efficiency ratio (bare CPU per request / Gatehouse CPU per request, TLS included): ${cpuRatio.toFixed(2)}`);
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
