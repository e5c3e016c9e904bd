// Renders a realistic ~20-line request template (loop, conditionals, $input.path, $util) from its compiled form
// and reports the mean time per render. Run: ./node_modules/.bin/node bench/vtl/render.bench.ts [batches]
// Target (issue 3): at most 5 µs per render on the reference machine. Results: bench/vtl/README.md.
import { compileTemplate } from '../../src/vtl/index.ts';
import { escapeJavaScript } from '../../src/vtl/bindings/util.ts';
import { parseJsonDocument } from '../../src/vtl/java-values.ts';

export const TEMPLATE = `#set($root = $input.path('$'))
{
  "orderId": "$util.escapeJavaScript($root.id)",
  "customer": "$util.escapeJavaScript($input.path('$.customer.name'))",
  "stage": "$context.stage",
  "requestId": "$context.requestId",
  "source": "$input.params('source')",
  "items": [
#foreach($item in $root.items)
    {
      "sku": "$item.sku",
      "quantity": $item.qty,
#if($item.price > 100)
      "tier": "premium",
#else
      "tier": "standard",
#end
      "total": #set($t = $item.price * $item.qty)$t
    }#if($foreach.hasNext),#end
#end
  ],
  "note": "$util.escapeJavaScript($root.note).replaceAll("\\\\'", "'")"
}`;

export const BODY = JSON.stringify({
  id: 'ord-1001',
  customer: { name: "Ada O'Brien" },
  note: "Leave at the door, it's fine",
  items: [
    { sku: 'A-1', qty: 2, price: 19.99 },
    { sku: 'B-7', qty: 1, price: 149.5 },
    { sku: 'C-3', qty: 5, price: 3.25 },
  ],
});

// The request context as the data plane passes it: every documented variable, most of them unused here.
export const CONTEXT = {
  accountId: '123456789012', apiId: 'a1b2c3d4e5', awsEndpointRequestId: 'e0c7f8a1-0000-4000-8000-000000000001',
  authorizer: { principalId: 'user-1', claims: { sub: '1234', email: 'ada@example.com' } },
  deploymentId: 'dep123', domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', domainPrefix: 'a1b2c3d4e5',
  error: { message: null, messageString: null, responseType: null, validationErrorString: null },
  extendedRequestId: 'Ab1CdEfGhIjKlM=', httpMethod: 'POST',
  identity: {
    accountId: null, apiKey: null, apiKeyId: null, caller: null, cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null,
    sourceIp: '192.0.2.1', user: null, userAgent: 'curl/8.5.0', userArn: null, vpcId: null, vpceId: null,
  },
  isCanaryRequest: false, path: '/prod/orders', protocol: 'HTTP/1.1', requestId: '6b5a9e1c-0000-4000-8000-000000000000',
  requestTime: '21/Nov/2026:23:00:00 +0000', requestTimeEpoch: 1795302000000, resourceId: 'abc123',
  resourcePath: '/orders', stage: 'prod',
};

export const BINDINGS = {
  input: { body: BODY, params: { path: {}, querystring: { source: 'web' }, header: { 'Content-Type': 'application/json' } } },
  context: CONTEXT,
  stageVariables: { backend: 'orders.internal' },
};

/**
 * The same transformation written by hand in JS (JSON.parse, string concatenation): the yardstick the issue
 * quotes (~3 µs). Measured in the same process, so the ratio holds even when the machine is busy.
 */
export function handWritten(b: typeof BINDINGS): string {
  const root = JSON.parse(b.input.body) as { id: string; customer: { name: string }; note: string; items: { sku: string; qty: number; price: number }[] };
  let out = `{\n  "orderId": "${escapeJavaScript(root.id)}",\n  "customer": "${escapeJavaScript(root.customer.name)}",\n  "stage": "${b.context.stage}",\n  "requestId": "${b.context.requestId}",\n  "source": "${b.input.params.querystring.source}",\n  "items": [\n`;
  root.items.forEach((item, i) => {
    out += `    {\n      "sku": "${item.sku}",\n      "quantity": ${item.qty},\n      "tier": "${item.price > 100 ? 'premium' : 'standard'}",\n      "total": ${item.price * item.qty}\n    }${i + 1 < root.items.length ? ',' : ''}`;
  });
  return `${out}  ],\n  "note": "${escapeJavaScript(root.note).replaceAll("\\'", "'")}"\n}`;
}

interface Figures { best: number; median: number; cpu: number }

/**
 * CPU time of this thread in µs: unlike wall time, it does not count the time other jobs hold the cores. Its clock
 * ticks coarsely (a few ms), so it is reported as the mean over all batches, not per batch.
 */
function threadCpu(): number {
  const u = process.threadCpuUsage();
  return u.user + u.system;
}

function batches(f: () => unknown, count: number, size: number): Figures {
  for (let i = 0; i < 20_000; i++) f();
  const wall: number[] = [];
  const c0 = threadCpu();
  for (let b = 0; b < count; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < size; i++) f();
    wall.push(Number(process.hrtime.bigint() - start) / size / 1000);
  }
  const cpu = (threadCpu() - c0) / (count * size);
  wall.sort((x, y) => x - y);
  return { best: wall[0]!, median: wall[wall.length >> 1]!, cpu };
}

/** µs per render over `count` batches of `size` renders: the best batch and the median batch. */
export function measure(count = 15, size = 20_000): { vtl: Figures; js: Figures; parse: Figures; chars: number } {
  const template = compileTemplate(TEMPLATE);
  const chars = template.render(BINDINGS).length;
  const vtl = batches(() => template.render(BINDINGS), count, size);
  const js = batches(() => handWritten(BINDINGS), count, size);
  // The part of a render spent reading the body into Java-shaped JSON (what $input.path does once per render).
  const parse = batches(() => parseJsonDocument(BODY), count, size);
  return { vtl, js, parse, chars };
}

function run(): void {
  const { vtl, js, parse, chars } = measure(Number(process.argv[2] ?? 15));
  const f = (x: number) => x.toFixed(2);
  const line = (r: Figures) =>
    `best ${f(r.best)} µs, median ${f(r.median)} µs per render (thread CPU ${f(r.cpu)} µs)`;
  console.log(`compiled template (${chars} chars out): ${line(vtl)}`);
  console.log(`hand-written JS:                        ${line(js)}`);
  console.log(`of which body parse (parseJsonDocument): ${line(parse)}`);
  console.log(`ratio (best): ${(vtl.best / js.best).toFixed(2)}, (CPU): ${(vtl.cpu / js.cpu).toFixed(2)}`);
}

if (import.meta.main) run();
