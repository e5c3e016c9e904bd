// What the function sandbox costs, and the Python runtime's figures (issues 8 and 9):
//   ./node_modules/.bin/node bench/lambda/sandbox.bench.ts [--rounds N] [--duration S]
// Two Gatehouses run in this process on temporary data directories, one sandboxed (the default) and one with
// --unsafe-functions, each with a nodejs24.x and a python3.12 function behind GET /pets/{id} (AWS_PROXY). Measured,
// interleaved between the two so both see the same machine load:
//   - cold start (Invoke to result, after retiring the warm environment), 20 runs per runtime and mode;
//   - warm AWS_PROXY overhead of python3.12 over a direct Invoke (p50 difference, 2,000 interleaved requests);
//   - API Gateway -> Lambda throughput with wrk (-t2 -c16, `--duration` s per round, `--rounds` rounds).
// Figures go to stdout as a Markdown table.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { Agent, request } from 'undici';
import { startGatehouse, type Running } from '../../test/helpers/gatehouse.ts';
import { createFunction } from '../../test/functions/helpers.ts';
import type { EmbeddedFunctions } from '../../src/functions/index.ts';
import { deployPetsProxyApi } from './bench-api.ts';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? d : Number(process.argv[i + 1]);
};
const ROUNDS = arg('rounds', 2);
const DURATION = arg('duration', 5);
const COLD_RUNS = arg("cold", 20);
const WARM_RUNS = arg("warm", 2000);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (n: number) => n.toFixed(2);

const NODE = 'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.pathParameters) });';
const PYTHON = 'import json\ndef handler(event, context):\n    return {"statusCode": 200, "body": json.dumps(event.get("pathParameters"))}\n';

function wrk(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('wrk', args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

interface Setup {
  mode: string;
  gh: Running;
  apis: Record<string, string>;
}

async function setup(mode: 'sandbox' | 'unsafe'): Promise<Setup> {
  const gh = await startGatehouse({ config: { unsafeFunctions: mode === 'unsafe' } });
  const apis: Record<string, string> = {};
  for (const [fn, runtime, files, handler] of [
    ['node', 'nodejs24.x', { 'index.mjs': NODE }, 'index.handler'],
    ['python', 'python3.12', { 'app.py': PYTHON }, 'app.handler'],
  ] as const) {
    await createFunction(gh.lambda, fn, files, { runtime, handler });
    await gh.lambda.send(new AddPermissionCommand({ FunctionName: fn, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
    apis[fn] = await deployPetsProxyApi(gh.apigateway, fn);
  }
  return { mode, gh, apis };
}

const setups = [await setup('sandbox'), await setup('unsafe')];
const rows: string[][] = [];
const payload = Buffer.from(JSON.stringify({ pathParameters: { id: '1' } }));
try {
  // Cold starts, interleaved run by run.
  for (const fn of ['node', 'python']) {
    const cold: Record<string, number[]> = {};
    for (let i = 0; i < COLD_RUNS; i++) {
      for (const s of setups) {
        const svc = s.gh.gatehouse.services.functions as EmbeddedFunctions;
        svc.retire('us-east-1', fn);
        const t = performance.now();
        const r = await svc.invoke({ functionName: fn, region: 'us-east-1', payload, invocationType: 'RequestResponse' });
        if (r.functionError) throw new Error(r.payload.toString());
        (cold[s.mode] ??= []).push(performance.now() - t);
      }
    }
    for (const s of setups) rows.push([`cold start ${fn === 'node' ? 'nodejs24.x' : 'python3.12'}, ${s.mode}`, f(pct(cold[s.mode]!, 50)), f(pct(cold[s.mode]!, 90)), `${COLD_RUNS} runs`]);
  }

  // Warm python3.12 through API Gateway vs a direct Invoke over HTTP (sandboxed).
  {
    const s = setups[0]!;
    const agent = new Agent({ connections: 1 });
    const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' };
    const viaInvoke: number[] = [];
    const viaProxy: number[] = [];
    const proxyUrl = `${s.gh.endpoint}/prod/pets/1`;
    const host = `${s.apis.python}.execute-api.us-east-1.amazonaws.com`;
    for (let i = 0; i < WARM_RUNS + 200; i++) {
      let t = performance.now();
      const a = await request(`${s.gh.endpoint}/2015-03-31/functions/python/invocations`, { method: 'POST', body: payload, headers, dispatcher: agent });
      await a.body.text();
      if (i >= 200) viaInvoke.push(performance.now() - t);
      t = performance.now();
      const b = await request(proxyUrl, { headers: { host }, dispatcher: agent });
      await b.body.text();
      if (b.statusCode !== 200) throw new Error(`API answered ${b.statusCode}`);
      if (i >= 200) viaProxy.push(performance.now() - t);
    }
    await agent.close();
    rows.push(['python3.12 warm: direct Invoke over HTTP', f(pct(viaInvoke, 50)), f(pct(viaInvoke, 99)), `${WARM_RUNS} calls`]);
    rows.push(['python3.12 warm: GET through API Gateway AWS_PROXY', f(pct(viaProxy, 50)), f(pct(viaProxy, 99)), `${WARM_RUNS} calls, interleaved`]);
    rows.push(['python3.12 AWS_PROXY overhead over a direct Invoke (p50 difference)', f(pct(viaProxy, 50) - pct(viaInvoke, 50)), '', 'target ≤ 1 ms']);
  }

  // Throughput, API Gateway -> nodejs24.x, rounds interleaved.
  if (!spawnSync('wrk', ['--version']).error) {
    const rps: Record<string, number[]> = {};
    // A first round starts the 16 environments each mode needs (cold starts), and is not counted.
    for (let round = -1; round < ROUNDS; round++) {
      for (const s of setups) {
        const host = `${s.apis.node}.execute-api.us-east-1.amazonaws.com`;
        // Not spawnSync: the servers run in this process's event loop.
        const out = await wrk(['-t2', '-c16', `-d${DURATION}s`, '-H', `Host: ${host}`, `${s.gh.endpoint}/prod/pets/1`]);
        const m = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout);
        if (!m || /Non-2xx/.test(out.stdout)) throw new Error(out.stdout + out.stderr);
        if (round >= 0) (rps[s.mode] ??= []).push(Number(m[1]));
      }
    }
    for (const s of setups) rows.push([`API Gateway -> nodejs24.x req/s (wrk -t2 -c16, ${DURATION} s), ${s.mode}`, rps[s.mode]!.map((x) => x.toFixed(0)).join(', '), '', `${ROUNDS} rounds`]);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    rows.push(['throughput ratio sandbox / unsafe (medians)', (med(rps.sandbox!) / med(rps.unsafe!)).toFixed(2), '', 'target ≥ 0.9']);
  }
} finally {
  for (const s of setups) await s.gh.stop();
}

console.log('| measurement | p50 (ms) or value | p90/p99 | runs |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nmachine: ${readFileSync('/proc/loadavg', 'utf8').trim()} (load average), node ${process.version}`);
