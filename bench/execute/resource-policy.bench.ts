// Micro benchmark of resource-policy evaluation on the data plane: the authorize step of a NONE method whose API has
// a 20-statement resource policy (IP, VPC-endpoint, time, user-agent conditions, wildcard resources; the one Allow
// that matches comes last, so every statement is walked), in CPU µs per request (process CPU time, so a busy machine
// inflates it less than wall time; median of rounds after a warm-up), beside the same step for an API without a
// policy (the baseline in the same run). Target: <= 5 µs. Usage: ./node_modules/.bin/node bench/execute/resource-policy.bench.ts
import { authorize } from '../../src/execute/pipeline/authorize.ts';
import { MultiMap } from '../../src/execute/headers.ts';
import type { Routed } from '../../src/execute/invocation.ts';
import type { CompiledDeployment } from '../../src/execute/compile/deployment.ts';

const API = 'abcdef1234';
const arn = (p: string) => `arn:aws:execute-api:us-east-1:123456789012:${API}/${p}`;
const statements: object[] = [];
for (let i = 0; i < 19; i++) {
  const kind = i % 5;
  statements.push(
    kind === 0
      ? { Sid: `deny-net-${i}`, Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: arn('*'), Condition: { IpAddress: { 'aws:SourceIp': [`10.${i}.0.0/16`, `192.168.${i}.0/24`] } } }
      : kind === 1
        ? { Sid: `vpce-${i}`, Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: arn('prod/*/admin/*'), Condition: { StringEquals: { 'aws:SourceVpce': `vpce-0${i}abc` } } }
        : kind === 2
          ? { Sid: `window-${i}`, Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: [arn(`*/POST/orders/${i}`), arn(`*/PUT/orders/${i}`)], Condition: { DateLessThan: { 'aws:CurrentTime': '2001-01-01T00:00:00Z' } } }
          : kind === 3
            ? { Sid: `agents-${i}`, Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: arn('*'), Condition: { StringLike: { 'aws:UserAgent': [`*badbot${i}*`, `scanner-${i}/*`] } } }
            : { Sid: `user-${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::123456789012:user/u${i}` }, Action: 'execute-api:Invoke', Resource: arn(`*/GET/users/${i}/*`) },
  );
}
statements.push({ Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: arn('bench/GET/pets/*'), Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } });
const stored = JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: statements })).slice(1, -1);

const deployment = { apiId: API, deploymentId: 'd1', resourcePolicy: stored, endpointType: 'REGIONAL' } as unknown as CompiledDeployment;
const headers = new MultiMap(true);
headers.append('User-Agent', 'wrk', 'user-agent');
const inv = {
  env: { networks: undefined },
  accountId: '123456789012',
  httpMethod: 'GET',
  path: '/pets/42',
  sourceIp: '127.0.0.1',
  startedAt: Date.now(),
  headers,
  req: undefined,
  deployment,
  stage: { region: 'us-east-1', apiId: API, stageName: 'bench' },
  method: { authorizationType: 'NONE', apiKeyRequired: false },
} as unknown as Routed;

const open = { ...inv, deployment: { ...deployment, resourcePolicy: undefined } } as unknown as Routed;

function round(target: Routed, n: number): number {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) authorize(target);
  const used = process.cpuUsage(t);
  return (used.user + used.system) / n;
}

function median(target: Routed): number {
  authorize(target); // throws if the request is not admitted
  for (let i = 0; i < 5; i++) round(target, 20_000);
  return Array.from({ length: 7 }, () => round(target, 50_000)).sort((a, b) => a - b)[3]!;
}

const withPolicy = median(inv);
const without = median(open);
// Every request for another path (5,000 ids: more than the 1,000 method ARNs remembered per policy), so the
// statements' targets are matched afresh each time: the worst case.
const paths = Array.from({ length: 5000 }, (_, i) => `/pets/${i}`);
let next = 0;
const roaming = new Proxy(inv as object, { get: (t, k) => (k === 'path' ? paths[next++ % paths.length] : (t as Record<string | symbol, unknown>)[k]) }) as Routed;
const fresh = median(roaming);
console.log(`authorize step, NONE method, no resource policy: ${without.toFixed(2)} CPU µs per request`);
console.log(`authorize step, NONE method, 20-statement resource policy: ${withPolicy.toFixed(2)} CPU µs per request; the policy's evaluation: ${(withPolicy - without).toFixed(2)} µs (target <= 5; medians of 7 rounds)`);
console.log(`the same, every request for a path not seen lately (worst case): ${fresh.toFixed(2)} CPU µs per request`);
