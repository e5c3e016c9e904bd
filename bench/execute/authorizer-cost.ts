// What a cached authorizer check costs per request (issue 10: ≤ 20 µs CPU for a cached Lambda-authorizer decision
// and for a cached Cognito-token check): one Gatehouse server script (pinned to CPU 0) serving MOCK and HTTP_PROXY
// methods without authorization (/mock, /proxy/x) and the same behind the authorizer (/authz/mock, /authz/proxy/x),
// loaded by wrk on CPU 1 with the same Authorization header everywhere (the value the server printed, else
// `allow`); rounds interleave the four cases and the medians of the server's CPU time per request are compared, in
// the same process and run.
import { spawnSync } from 'node:child_process';
import { startBenchServer, startPinnedServer } from './bench-server.ts';

export async function measureAuthorizerCost(serverScript: string, label: string, seconds: number, rounds: number): Promise<void> {
  const backend = await startBenchServer('backend');
  const gatehouse = (await startPinnedServer([serverScript, String(backend.port)])) as Awaited<ReturnType<typeof startPinnedServer>> & { authorization?: string };
  const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
  const authorization = gatehouse.authorization ?? 'allow';
  const wrk = (url: string) => {
    const r = spawnSync('taskset', ['-c', '1', 'wrk', '-t1', '-c50', `-d${seconds}s`, '-H', `Host: ${host}`, '-H', `Authorization: ${authorization}`, url], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)![1]),
      requests: Number(/(\d+) requests in/.exec(r.stdout)![1]),
      non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0),
    };
  };
  const base = `http://127.0.0.1:${gatehouse.port}/bench`;
  const cases: Record<string, string> = {
    MOCK: `${base}/mock`,
    [`MOCK + ${label}`]: `${base}/authz/mock`,
    HTTP_PROXY: `${base}/proxy/x`,
    [`HTTP_PROXY + ${label}`]: `${base}/authz/proxy/x`,
  };
  try {
    const cpu: Record<string, number[]> = {};
    const rps: Record<string, number[]> = {};
    const non2xx: Record<string, number> = {};
    for (const [name, url] of Object.entries(cases)) {
      non2xx[name] = wrk(url).non2xx; // warm-up
      cpu[name] = [];
      rps[name] = [];
    }
    for (let round = 0; round < rounds; round++) {
      for (const [name, url] of Object.entries(cases)) {
        const before = await gatehouse.cpu();
        const r = wrk(url);
        const after = await gatehouse.cpu();
        cpu[name]!.push((after - before) / r.requests);
        rps[name]!.push(r.rps);
        non2xx[name]! += r.non2xx;
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
    console.log('| case | req/s | server CPU µs/req |');
    console.log('| --- | ---: | ---: |');
    for (const name of Object.keys(cases)) console.log(`| ${name} | ${median(rps[name]!).toFixed(0)} | ${median(cpu[name]!).toFixed(1)} |`);
    const added = (with_: string, without: string) =>
      `${(median(cpu[with_]!) - median(cpu[without]!)).toFixed(1)} µs (per round: ${cpu[with_]!.map((c, i) => (c - cpu[without]![i]!).toFixed(1)).join(', ')})`;
    console.log('');
    console.log(`added CPU per request by a ${label} (target <= 20 µs): MOCK ${added(`MOCK + ${label}`, 'MOCK')}; HTTP_PROXY ${added(`HTTP_PROXY + ${label}`, 'HTTP_PROXY')}`);
    for (const [name, n] of Object.entries(non2xx)) if (n > 0) console.log(`WARNING: ${n} non-2xx responses to ${name}`);
  } finally {
    for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
  }
}
