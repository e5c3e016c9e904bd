// Embedded Lambda benchmark: cold start of a Node function, warm Invoke latency (through the Lambda API over HTTP
// and through FunctionsService.invoke, what API Gateway integrations call), and idle RSS per warm environment.
//   ./node_modules/.bin/node bench/lambda/lambda.bench.ts
// Gatehouse runs in this process on a temporary data directory; figures go to stdout as a Markdown table.
import { readFileSync } from 'node:fs';
import { InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { Agent, request } from 'undici';
import { startGatehouse } from '../../test/helpers/gatehouse.ts';
import { createFunction } from '../../test/functions/helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { deployPetsProxyApi } from './bench-api.ts';


const COLD_RUNS = 20;
const WARM_RUNS = 3000;
const IDLE_ENVS = 10;

/** A process and its descendants. */
function processTree(root: number): number[] {
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    out.push(pid);
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ')) if (c.trim()) queue.push(Number(c));
    } catch {
      // gone
    }
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const f = (n: number) => n.toFixed(2);

const gh = await startGatehouse();
const svc = gh.gatehouse.services.functions as EmbeddedFunctions;
const rows: string[][] = [];
try {
  await createFunction(gh.lambda, 'bench', { 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });' });
  const payload = Buffer.from(JSON.stringify({ path: '/pets', httpMethod: 'GET', headers: { accept: 'application/json' } }));
  const direct = () => svc.invoke({ functionName: 'bench', region: 'us-east-1', payload, invocationType: 'RequestResponse' });

  // Cold start: every run retires the warm environment first, so the invocation spawns a new process.
  const cold: number[] = [];
  const init: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    svc.retire('us-east-1', 'bench');
    const t = performance.now();
    const r = await svc.invoke({ functionName: 'bench', region: 'us-east-1', payload, invocationType: 'RequestResponse', logType: 'Tail' });
    cold.push(performance.now() - t);
    const m = /Init Duration: ([\d.]+) ms/.exec(Buffer.from(r.logResult!, 'base64').toString());
    if (m) init.push(Number(m[1]));
  }
  rows.push(['cold start, Invoke to result (FunctionsService.invoke)', f(pct(cold, 50)), f(pct(cold, 90)), `${COLD_RUNS} runs`]);
  rows.push(['cold start, Init Duration (spawn → first /next)', f(pct(init, 50)), f(pct(init, 90)), `${init.length} runs`]);

  // Warm: the same environment serves every call.
  for (let i = 0; i < 300; i++) await direct();
  const warmDirect: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    await direct();
    warmDirect.push(performance.now() - t);
  }
  rows.push(['warm invoke (FunctionsService.invoke)', f(pct(warmDirect, 50)), f(pct(warmDirect, 99)), `${WARM_RUNS} calls`]);

  const agent = new Agent({ connections: 1 });
  const url = `${gh.endpoint}/2015-03-31/functions/bench/invocations`;
  const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' };
  const http = async () => {
    const res = await request(url, { method: 'POST', body: payload, headers, dispatcher: agent });
    await res.body.arrayBuffer();
  };
  for (let i = 0; i < 300; i++) await http();
  const warmHttp: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    await http();
    warmHttp.push(performance.now() - t);
  }
  rows.push(['warm Invoke over HTTP (Lambda API, undici keep-alive)', f(pct(warmHttp, 50)), f(pct(warmHttp, 99)), `${WARM_RUNS} calls`]);

  // The same function behind API Gateway (AWS_PROXY, GET /pets/{id}), over the same kind of connection. Interleaved
  // with direct Invokes so both see the same machine load.
  const ag = gh.apigateway;
  const api = { id: await deployPetsProxyApi(ag) };
  await gh.lambda.send(new AddPermissionCommand({ FunctionName: 'bench', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  const proxyUrl = `${gh.endpoint}/prod/pets/42?q=1`;
  const proxy = async () => {
    const res = await request(proxyUrl, { headers: { host: `${api.id}.execute-api.us-east-1.amazonaws.com`, accept: 'application/json' }, dispatcher: agent });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`AWS_PROXY answered ${res.statusCode}`);
  };
  for (let i = 0; i < 300; i++) await proxy();
  const viaProxy: number[] = [];
  const viaInvoke: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    let t = performance.now();
    await proxy();
    viaProxy.push(performance.now() - t);
    t = performance.now();
    await http();
    viaInvoke.push(performance.now() - t);
  }
  rows.push(['warm GET through API Gateway AWS_PROXY (HTTP)', f(pct(viaProxy, 50)), f(pct(viaProxy, 99)), `${WARM_RUNS} calls`]);
  rows.push(['same run: direct Invoke over HTTP', f(pct(viaInvoke, 50)), f(pct(viaInvoke, 99)), `${WARM_RUNS} calls, interleaved`]);
  rows.push(['AWS_PROXY overhead over a direct Invoke (p50 difference)', f(pct(viaProxy, 50) - pct(viaInvoke, 50)), '', 'target ≤ 1 ms']);
  await agent.close();

  const warmSdk: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await gh.lambda.send(new InvokeCommand({ FunctionName: 'bench', Payload: payload }));
    warmSdk.push(performance.now() - t);
  }
  rows.push(['warm Invoke with @aws-sdk/client-lambda (signing included)', f(pct(warmSdk, 50)), f(pct(warmSdk, 99)), '500 calls']);

  // Idle RSS: IDLE_ENVS environments started in parallel (each invocation holds its environment briefly), then idle.
  await gh.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bench', Description: 'idle' }));
  await createFunction(gh.lambda, 'idle', { 'index.mjs': 'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return 1; };' });
  await Promise.all(Array.from({ length: IDLE_ENVS }, () => svc.invoke({ functionName: 'idle', region: 'us-east-1', payload: Buffer.from('{}'), invocationType: 'RequestResponse' })));
  await new Promise((r) => setTimeout(r, 500));
  const envs = svc.environments('us-east-1', 'idle');
  const rss: number[] = [];
  const pss: number[] = [];
  for (const e of envs) {
    // The environment's whole process tree: bwrap, the sandbox's init, the runtime.
    let r = 0;
    let p = 0;
    for (const pid of processTree(e.pid!)) {
      r += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      try {
        p += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))![1]) / 1024;
      } catch {
        // smaps_rollup needs a newer kernel
      }
    }
    rss.push(r);
    if (p) pss.push(p);
  }
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  rows.push(['idle RSS per warm environment (MB)', f(avg(rss)), f(Math.max(...rss)), `${envs.length} environments, mean / max`]);
  if (pss.length) rows.push(['idle PSS per warm environment (MB)', f(avg(pss)), f(Math.max(...pss)), 'shared pages split between environments']);
} finally {
  await gh.stop();
}

console.log(`| measurement | p50 / mean (ms or MB) | p90-p99 / max | runs |`);
console.log(`|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nmachine: ${readFileSync('/proc/loadavg', 'utf8').trim()} (load average), node ${process.version}`);
