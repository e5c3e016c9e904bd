// HTTPS benchmark: HTTP_PROXY through Gatehouse's TLS listener (`--tls-port`) against a bare node:https server that
// proxies with an undici Pool, both presenting the same certificate, in front of the same node:http backend.
// Gatehouse is reached through a custom domain name (Host `bench.example.localhost`, base path mapping `(none)`), so
// the custom-domain routing is measured too. Method as bench/execute/run.ts, with CPUs kept apart on this 2-core
// machine: the servers run pinned to CPU 0 (taskset), wrk -t1 -c50 to CPU 1; 3 interleaved rounds, medians.
// Usage: ./node_modules/.bin/node bench/execute/https.ts [seconds per run, default 5] [rounds, default 3]
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as AG from '@aws-sdk/client-api-gateway';
import { startBenchGatehouse } from './bench-api.ts';
import { answerCpuSignals, startPinnedServer, type BenchServer } from './bench-server.ts';
import { bareProxy } from './bare-proxy.ts';
import { cpuRatio, cpuRounds, latencyMs, median, rpsRatio, wrk, type RoundCase } from './cpu-rounds.ts';

const DOMAIN = 'bench.example.localhost';
const kind = process.argv[2];

function ready(info: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

// CPU accounting (as bench/execute/servers.ts): the runner asks for the process's CPU time around each run, a
// figure the other work on a shared machine disturbs far less than wall-clock throughput.
if (kind === 'bare-https' || kind === 'gatehouse-https') {
  answerCpuSignals();
}

if (kind === 'bare-https') {
  // node:https in front, undici Pool behind: the ceiling for an HTTPS HTTP_PROXY.
  const [, , , backendPort, cert, key] = process.argv;
  const proxy = bareProxy(backendPort!, (url) => url.replace(/^\/bench\/proxy/, ''));
  const server = createHttpsServer({ cert: readFileSync(cert!), key: readFileSync(key!), keepAliveTimeout: 65_000 }, proxy);
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
    const target = (url: string, host: string | undefined, server: BenchServer): RoundCase => {
      const headers = host ? [`Host: ${host}`] : [];
      return { server, load: () => wrk(url, 50, seconds, headers, ['--latency']), warmUp: () => wrk(url, 50, 2, headers, ['--latency']) };
    };
    const cases = {
      'bare node:https + undici proxy': target(`https://localhost:${bare.port}/bench/proxy/x`, undefined, bare),
      'Gatehouse HTTPS HTTP_PROXY (custom domain)': target(`https://localhost:${gatehouse.port}/proxy/x`, DOMAIN, gatehouse),
      'Gatehouse HTTPS HTTP_PROXY (execute-api host)': target(`https://localhost:${gatehouse.port}/bench/proxy/x`, `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`, gatehouse),
    };
    const r = await cpuRounds(cases, rounds);
    console.log(`wrk -t1 -c50 on CPU 1, servers on CPU 0, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
    console.log('| server | req/s | server CPU µs/req | p50 ms | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, runs] of Object.entries(r.runs)) {
      console.log(`| ${name} | ${median(r.rps[name]!).toFixed(0)} | ${median(r.cpu[name]!).toFixed(1)} | ${median(runs.map((run) => latencyMs(run, 50))).toFixed(3)} | ${runs.reduce((a, run) => a + run.non2xx, 0)} |`);
    }
    const { ratio, perRound } = rpsRatio(r, 'Gatehouse HTTPS HTTP_PROXY (custom domain)', 'bare node:https + undici proxy');
    console.log(`\nHTTPS HTTP_PROXY / bare node:https + undici proxy: ${ratio.toFixed(2)} (target >= 0.8; per round: ${perRound})`);
    console.log(`CPU-efficiency ratio (bare CPU per request / Gatehouse CPU per request, TLS included): ${cpuRatio(r, 'Gatehouse HTTPS HTTP_PROXY (custom domain)', 'bare node:https + undici proxy').toFixed(2)}`);
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
