// TestInvokeMethod: runs the invocation pipeline against the API as it is now (not a deployment), for one
// resource and method, with the given path, query, headers, body and stage variables, and returns what the
// client would get plus AWS's execution log and the latency. The control plane's TestInvokeMethod handler calls
// `dataPlane.testInvoke(ctx.db, input)` (ctx.db: the caller's region-scoped store).
import type { Store } from '../store/store.ts';
import { NotFoundException } from '../aws/errors.ts';
import { compileDeployment } from './compile/deployment.ts';
import { readCurrentApi } from './compile/current-api.ts';
import { TrieRouter } from './compile/router.ts';
import type { ExecuteEnv, Invocation, Responded, Routed } from './invocation.ts';
import { parse, segmentsOf } from './pipeline/parse.ts';
import { TEST_INVOKE_FROM, runPipeline } from './pipeline/index.ts';
import { javaMap } from './execution-log.ts';
import { renderFailure } from './responses/failure.ts';
import type { StageRuntime } from './stage-config.ts';

export interface TestInvokeInput {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
  pathWithQueryString?: string;
  body?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  clientCertificateId?: string;
  stageVariables?: Record<string, string>;
}

export interface TestInvokeOutput {
  status: number;
  body: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  log: string;
  latency: number;
}

const STAGE = 'test-invoke-stage';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** `Sat Nov 21 23:41:00 UTC 2026`, the timestamp of AWS's execution log lines. */
export const logTime = (d: Date) =>
  `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;

export async function testInvoke(env: ExecuteEnv, db: Store, input: TestInvokeInput): Promise<TestInvokeOutput> {
  const snapshot = await db.read((tx) => readCurrentApi(tx, input.restApiId));
  if (!snapshot) throw new NotFoundException(`Invalid API identifier specified ${env.accountId}:${input.restApiId}`);
  const resource = snapshot.resources.find((r) => r.id === input.resourceId);
  if (!resource) throw new NotFoundException('Invalid Resource identifier specified');
  if (!resource.resourceMethods?.[input.httpMethod]) throw new NotFoundException('Invalid Method identifier specified');

  // Only the method under test: the path is matched against its resource, never routed elsewhere.
  const deployment = compileDeployment(input.restApiId, 'test-invoke', { ...snapshot, resources: [{ ...resource, resourceMethods: { [input.httpMethod]: resource.resourceMethods[input.httpMethod]! } }] });
  const variables = input.stageVariables ?? {};
  const stage: StageRuntime = {
    apiId: input.restApiId,
    region: '',
    stageName: STAGE,
    // A test invocation is not traffic: no metrics, no traces.
    apiName: snapshot.restApi.name,
    tracingEnabled: false,
    deploymentId: 'test-invoke-deployment-id',
    variables,
    infoLogging: false,
    executionLogging: false,
    accessLogSettings: undefined,
    deployment,
    canary: undefined,
    methodSetting: () => ({}),
    // A test invocation runs against the API as it is, not a stage: no stage cache.
    cache: undefined,
    methodCaching: () => null,
  };

  const pathWithQuery = input.pathWithQueryString || resource.path;
  const q = pathWithQuery.indexOf('?');
  const rawPath = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q);
  const rawQuery = q === -1 ? '' : pathWithQuery.slice(q + 1);
  const rawHeaders: string[] = [];
  for (const [k, v] of Object.entries(input.headers ?? {})) rawHeaders.push(k, v);
  for (const [k, vs] of Object.entries(input.multiValueHeaders ?? {})) for (const v of vs) rawHeaders.push(k, v);

  const started = performance.now();
  const inv = parse(
    {
      httpMethod: input.httpMethod,
      // AWS's TestInvokeMethod reports this placeholder domain ($context.domainName, the proxy event's).
      target: { apiId: input.restApiId, stage: STAGE, rawPath, rawQuery, style: 'path', domainName: 'testPrefix.testDomainName' },
      rawHeaders,
      body: Buffer.from(input.body ?? ''),
      sourceIp: 'test-invoke-source-ip',
      localPort: 443,
      protocol: 'HTTP/1.1',
      req: undefined,
    },
    env,
  );
  inv.log = [];
  inv.log.push(`Starting execution for request: ${inv.requestId}`, `HTTP Method: ${input.httpMethod}, Resource Path: ${rawPath}`);

  let status: number;
  let headers;
  let body: string;
  try {
    const match = new TrieRouter<true>();
    match.add(resource.path, true);
    const found = match.match(segmentsOf(rawPath));
    inv.stage = stage;
    inv.deployment = deployment;
    const routed = inv as Routed;
    routed.method = deployment.router.match(segmentsOf(resource.path))!.value.methods.get(input.httpMethod)!;
    routed.pathParameters = found?.params ?? {};
    routed.stageVariables = variables;
    routed.isCanaryRequest = false;
    routed.contextObject = undefined;
    inv.log.push(`Method request path: ${javaMap(routed.pathParameters)}`);
    inv.log.push(`Method request query string: ${javaMap(inv.query.single())}`);
    inv.log.push(`Method request headers: ${javaMap(inv.headers.single())}`);
    inv.log.push(`Method request body before transformations: ${input.body ?? ''}`);
    // Routing is done above; the pipeline continues after its route step.
    const pending = runPipeline(inv, TEST_INVOKE_FROM);
    if (pending) await pending;
    const mr = (inv as Responded).methodResponse;
    status = mr.statusCode;
    headers = mr.headers;
    body = await bodyText(mr.body);

  } catch (err) {
    const rendered = renderFailure(inv as Invocation, err);
    status = rendered.statusCode;
    headers = rendered.headers;
    body = rendered.body;
    inv.log.push(`Method completed with status: ${status}`);
  }
  const latency = Math.round(performance.now() - started);
  const at = logTime(env.now());
  const log = [`Execution log for request ${inv.requestId}`, ...inv.log.map((l) => `${at} : ${l}`)].join('\n') + '\n';
  return { status, body, headers: headers.single(), multiValueHeaders: headers.multi(), log, latency };
}


async function bodyText(body: Responded['methodResponse']['body']): Promise<string> {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}
