// What a cached authorizer check costs per request (issue 10: ≤ 20 µs CPU for a cached Lambda-authorizer decision
// and for a cached Cognito-token check): one Gatehouse server script (pinned to CPU 0) serving MOCK and HTTP_PROXY
// methods without authorization (/mock, /proxy/x) and the same behind the authorizer (/authz/mock, /authz/proxy/x),
// loaded by wrk on CPU 1 with the same Authorization header everywhere (the value the server printed, else
// `allow`); rounds interleave the four cases and the medians of the server's CPU time per request are compared, in
// the same process and run.
import { startBenchServer, startPinnedServer } from './bench-server.ts';
import { addedCpu, cpuRounds, printCpuTable, urlCases, warnNon2xx, wrk } from './cpu-rounds.ts';

export async function measureAuthorizerCost(serverScript: string, label: string, seconds: number, rounds: number): Promise<void> {
  const backend = await startBenchServer('backend');
  const gatehouse = (await startPinnedServer([serverScript, String(backend.port)])) as Awaited<ReturnType<typeof startPinnedServer>> & { authorization?: string };
  const host = `${gatehouse.apiId}.execute-api.us-east-1.amazonaws.com`;
  const authorization = gatehouse.authorization ?? 'allow';
  const load = (url: string) => wrk(url, 50, seconds, [`Host: ${host}`, `Authorization: ${authorization}`]);
  const base = `http://127.0.0.1:${gatehouse.port}/bench`;
  const cases: Record<string, string> = {
    MOCK: `${base}/mock`,
    [`MOCK + ${label}`]: `${base}/authz/mock`,
    HTTP_PROXY: `${base}/proxy/x`,
    [`HTTP_PROXY + ${label}`]: `${base}/authz/proxy/x`,
  };
  try {
    const r = await cpuRounds(urlCases(cases, gatehouse, load), rounds);
    console.log(`wrk -t1 -c50, ${seconds}s per run, ${rounds} interleaved rounds, medians\n`);
    printCpuTable(r);
    console.log('');
    console.log(`added CPU per request by a ${label} (target <= 20 µs): MOCK ${addedCpu(r, `MOCK + ${label}`, 'MOCK')}; HTTP_PROXY ${addedCpu(r, `HTTP_PROXY + ${label}`, 'HTTP_PROXY')}`);
    warnNon2xx(r);
  } finally {
    for (const s of [backend, gatehouse]) s.child.kill('SIGKILL');
  }
}
