// Bounded resources in the data plane (issue 8, items 4 and 5), against a deployed API on a Gatehouse running as
// a child process (so its memory and its stderr are its own) and a local backend on 127.0.0.1:
// - request bodies over 10 MB are refused with the front end's 413 whether framed by Content-Length or chunked,
//   for MOCK, HTTP, HTTP_PROXY and AWS_PROXY, before any of it reaches the backend;
// - backend responses over 10 MB are refused as AWS does (500), without the server's memory growing with them;
// - chunked backend responses reach non-proxy HTTP integrations whole;
// - the integration timeout covers the whole exchange, a trickled response body included;
// - clients that disconnect leave one debug line, never a stack trace.
// After each attack the server still answers /_gatehouse/health.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { Client } from 'undici';
import { ApiBuilder } from '../execute/helpers.ts';
import { clients, spawnGatehouse, tempDataDir, type Running, type Spawned } from '../helpers/gatehouse.ts';

const MB = 1024 * 1024;
const LIMIT = 10 * MB;
const TOO_LARGE_BODY = `HTTP content length exceeded ${LIMIT} bytes.`;
/** 1.1 GB, the response the attack sent through an HTTP integration. */
const HUGE = Math.round(1.1 * 1024 * MB);

/** Responses sendLazily is still writing (their connection is open). */
let sending = 0;

/** A backend that never needs to hold what it sends: bodies are written chunk by chunk with backpressure. */
function sendLazily(res: ServerResponse, total: number): void {
  sending++;
  res.once('close', () => sending--);
  const chunk = Buffer.alloc(64 * 1024, 'z');
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => (sent = total));
  pump();
}

interface Backend {
  url: string;
  /** Request bodies received, per path. */
  received: Array<{ path: string; bytes: number }>;
  close(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  const received: Backend['received'] = [];
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      const path = req.url!;
      received.push({ path, bytes });
      if (path.startsWith('/huge-chunked')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        return sendLazily(res, HUGE);
      }
      if (path.startsWith('/huge')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(HUGE) });
        return sendLazily(res, HUGE);
      }
      const sized = /^\/(sized|chunked-sized)\/(\d+)/.exec(path);
      if (sized) {
        const n = Number(sized[2]);
        res.writeHead(200, sized[1] === 'sized' ? { 'Content-Type': 'application/octet-stream', 'Content-Length': String(n) } : { 'Content-Type': 'application/octet-stream' });
        return sendLazily(res, n);
      }
      if (path.startsWith('/chunked-json')) {
        // No Content-Length: the body is chunked, in pieces spread over time.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"pets": [');
        setTimeout(() => res.write('{"id": 1}, '), 20);
        setTimeout(() => res.end('{"id": 2}]}'), 40);
        return;
      }
      const trickle = /^\/trickle(-sized)?\/(\d+)/.exec(path);
      if (trickle) {
        // One byte every 100 ms for `n` bytes.
        const n = Number(trickle[2]);
        res.writeHead(200, trickle[1] ? { 'Content-Type': 'text/plain', 'Content-Length': String(n) } : { 'Content-Type': 'text/plain' });
        let sent = 0;
        const timer = setInterval(() => {
          res.write('t');
          if (++sent === n) {
            clearInterval(timer);
            res.end();
          }
        }, 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (path.startsWith('/slow')) return void setTimeout(() => res.end('{"slow": true}'), 400);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ received: bytes }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    received,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

/** Resident memory of a process, in bytes. */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** An 11 MB body in 1 MB pieces, sent without Content-Length (chunked). */
async function* chunkedOverLimit(): AsyncGenerator<Buffer> {
  const piece = Buffer.alloc(MB, 'c');
  for (let i = 0; i < 11; i++) yield piece;
}

describe('data plane: bounded resources and quiet aborts', () => {
  let server: Spawned;
  let dataDir: string;
  let backend: Backend;
  let api: ApiBuilder;
  let host: string;
  let sdk: ReturnType<typeof clients>;

  /** One request on its own connection (a refused upload closes it). */
  async function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Readable } = {}): Promise<Answer> {
    const client = new Client(server.endpoint);
    const started = Date.now();
    try {
      const res = await client.request({ path, method: (opts.method ?? 'GET') as 'GET', headers: { host, ...opts.headers }, body: opts.body });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, body, ms: Date.now() - started };
    } finally {
      await client.destroy();
    }
  }

  async function assertHealthy(): Promise<void> {
    const res = await fetch(`${server.endpoint}/_gatehouse/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  }

  before(async () => {
    backend = await startBackend();
    dataDir = tempDataDir();
    server = await spawnGatehouse({ dataDir, env: { GATEHOUSE_DEBUG: '1' } });
    sdk = clients(server.endpoint);
    api = await ApiBuilder.create({ endpoint: server.endpoint, apigateway: sdk.apigateway } as Running);
    const p = { 'integration.request.path.p': 'method.request.path.p' };
    await api.method('/mock', 'POST', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
      responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"mock": true}' } }],
    });
    await api.method('/http/{p+}', 'POST', { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${backend.url}/{p}`, requestParameters: p }, {
      responses: [{ statusCode: '200' }],
    });
    await api.method('/proxy/{p+}', 'ANY', { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${backend.url}/{p}`, requestParameters: p, timeoutInMillis: 1000 });
    // The default timeout (29 s), for large responses on a busy machine.
    await api.method('/large/{p+}', 'ANY', { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${backend.url}/{p}`, requestParameters: p });
    // The body is read (and refused) before the function is looked up: no function needs to exist.
    await api.method('/lambda', 'POST', {
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:absent/invocations',
    });
    await api.deploy('dev');
    host = `${api.apiId}.execute-api.us-east-1.amazonaws.com`;
  });

  after(async () => {
    sdk?.apigateway.destroy();
    sdk?.lambda.destroy();
    await server?.stop();
    await backend?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const targets = [
    ['MOCK', '/dev/mock'],
    ['HTTP', '/dev/http/echo'],
    ['HTTP_PROXY', '/dev/proxy/echo'],
    ['AWS_PROXY (Lambda)', '/dev/lambda'],
  ] as const;

  for (const [type, path] of targets) {
    test(`${type}: a request body over 10 MB gets the front end's 413, with Content-Length or chunked`, async () => {
      const before = backend.received.length;
      for (const body of [Buffer.alloc(LIMIT + 1, 'l'), Readable.from(chunkedOverLimit())]) {
        const r = await call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        assert.equal(r.status, 413, `${type} ${Buffer.isBuffer(body) ? 'Content-Length' : 'chunked'}`);
        assert.equal(r.headers['content-type'], 'text; charset=utf-8');
        assert.equal(r.body.toString(), TOO_LARGE_BODY);
      }
      // Nothing of either body reached the backend.
      assert.equal(backend.received.length, before);
      // A body of exactly 10 MB is within the limit (chunked too).
      if (type === 'HTTP_PROXY') {
        const r = await call(path, { method: 'POST', body: Readable.from([Buffer.alloc(LIMIT, 'k')]) });
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.body.toString()), { received: LIMIT });
      }
      await assertHealthy();
    });
  }

  test('a 1.1 GB backend response is refused with 500 as on AWS, and the server does not grow with it', async (t) => {
    const baseline = rss(server.child.pid!);
    for (const path of ['/dev/proxy/huge', '/dev/proxy/huge-chunked', '/dev/http/huge', '/dev/http/huge-chunked']) {
      const r = await call(path, { method: 'POST', body: '{}' });
      assert.equal(r.status, 500, path);
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
      assert.deepEqual(JSON.parse(r.body.toString()), { message: 'Internal server error' });
    }
    // Ten at once, both framings.
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i % 2 ? '/dev/large/huge' : '/dev/large/huge-chunked')));
    assert.deepEqual(all.map((r) => r.status), Array(10).fill(500));
    const grown = rss(server.child.pid!) - baseline;
    t.diagnostic(`RSS ${(baseline / MB).toFixed(0)} MB before, ${((baseline + grown) / MB).toFixed(0)} MB after 14 responses of 1.1 GB`);
    // Each refused chunked response held at most 10 MB, once; the 1.1 GB never.
    assert.ok(grown < 200 * MB, `RSS grew by ${(grown / MB).toFixed(0)} MB`);
    // A HEAD's Content-Length announces no body: it passes, as the backend declared it.
    const head = await call('/dev/large/huge', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(HUGE));
    assert.equal(head.body.length, 0);
    // The execution-log line AWS records for a declared length, the cause of a 500 in the process log.
    await server.waitForOutput(new RegExp(`Execution failed due to configuration error: Integration response of reported length ${HUGE} is larger than allowed maximum of ${LIMIT} bytes\\.`));
    await assertHealthy();
  });

  test('responses up to 10 MB pass: streamed through HTTP_PROXY, chunked ones whole; memory returns to baseline', async (t) => {
    const baseline = rss(server.child.pid!);
    let peak = baseline;
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => call(i % 2 ? `/dev/large/sized/${LIMIT}` : `/dev/large/chunked-sized/${5 * MB}`)),
      );
      for (const [i, r] of answers.entries()) {
        assert.equal(r.status, 200);
        assert.equal(r.body.length, i % 2 ? LIMIT : 5 * MB);
      }
      peak = Math.max(peak, rss(server.child.pid!));
    }
    // The next chunked byte over the limit is refused.
    assert.equal((await call(`/dev/large/chunked-sized/${LIMIT + 1}`)).status, 500);
    assert.equal((await call(`/dev/large/sized/${LIMIT + 1}`)).status, 500);
    // Let V8 collect the buffers of the last round (a few idle seconds bring a GC), then compare.
    let grown = Infinity;
    for (let i = 0; i < 20 && grown > 64 * MB; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await call('/dev/mock', { method: 'POST', body: '{}' });
      grown = rss(server.child.pid!) - baseline;
    }
    t.diagnostic(`RSS ${(baseline / MB).toFixed(0)} MB before, ${(peak / MB).toFixed(0)} MB at the peak of 24 responses of 5-10 MB (8 at once), ${((baseline + grown) / MB).toFixed(0)} MB after`);
    assert.ok(grown < 64 * MB, `RSS still ${(grown / MB).toFixed(0)} MB above baseline after the load`);
    await assertHealthy();
  });

  test('a client that stops reading a streamed response ends the backend exchange too', async () => {
    const client = new Client(server.endpoint);
    const res = await client.request({ path: `/dev/large/sized/${LIMIT}`, method: 'GET', headers: { host } });
    assert.equal(res.statusCode, 200);
    for await (const chunk of res.body) {
      assert.ok(chunk.length > 0);
      break; // one chunk, then the client goes away
    }
    await client.destroy();
    for (let i = 0; i < 50 && sending > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(sending, 0, 'the backend is still sending to a gateway whose client left');
    await assertHealthy();
  });

  test('a client that stops reading cannot hold the backend past twice the integration timeout', async () => {
    const client = new Client(server.endpoint);
    try {
      // timeoutInMillis 1000: the slow reader gets 1 s more, then the exchange is ended.
      const res = await client.request({ path: `/dev/proxy/sized/${LIMIT}`, method: 'GET', headers: { host } });
      assert.equal(res.statusCode, 200);
      res.body.pause();
      for (let i = 0; i < 60 && sending > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(sending, 0, 'the backend is still held by a client that does not read');
    } finally {
      await client.destroy();
    }
    await assertHealthy();
  });

  test('HTTP (non-proxy): a chunked backend response arrives whole', async () => {
    const r = await call('/dev/http/chunked-json', { method: 'POST', body: '{}' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body.toString()), { pets: [{ id: 1 }, { id: 2 }] });
    await assertHealthy();
  });

  test('the integration timeout covers a trickled response body: 504 at timeoutInMillis', async () => {
    // 100 bytes at 10 per second: 10 s of trickle against a 1 s timeout (the margin is for a busy machine).
    for (const path of ['/dev/proxy/trickle/100', '/dev/proxy/trickle-sized/100']) {
      const r = await call(path);
      assert.equal(r.status, 504, path);
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
      assert.equal(r.body.toString(), '{"message": "Endpoint request timed out"}');
      assert.ok(r.ms < 5000, `${path} answered after ${r.ms} ms`);
    }
    // A body large enough to be streamed (its status already sent) is cut off at the timeout.
    const started = Date.now();
    await assert.rejects(call(`/dev/proxy/trickle-sized/${200 * 1024}`));
    assert.ok(Date.now() - started < 5000);
    await assertHealthy();
  });

  test('clients that disconnect leave one debug line each, no stack trace', async () => {
    const raw = (text: string, waitMs: number) =>
      new Promise<void>((resolve) => {
        const s = connect(server.port, '127.0.0.1', () => {
          s.write(text);
          setTimeout(() => {
            s.destroy();
            resolve();
          }, waitMs);
        });
        s.on('error', () => undefined);
      });
    const head = (path: string, framing: string) => `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`;
    const logBefore = server.output().length;
    let aborted = 0;
    for (const [, path] of targets) {
      // Mid-body, with a declared length and chunked.
      await raw(head(path, 'Content-Length: 1000') + '{"a":', 100);
      await raw(head(path, 'Transfer-Encoding: chunked') + '5\r\n{"a":\r\n', 100);
      aborted += 2;
    }
    // While the backend is still working.
    await raw(head('/dev/proxy/slow', 'Content-Length: 2') + '{}', 100);
    await raw(head('/dev/http/slow', 'Content-Length: 2') + '{}', 100);
    // The control APIs alike (a SigV4-shaped request whose body never completes).
    for (const service of ['apigateway', 'lambda']) {
      const path = service === 'lambda' ? '/2015-03-31/functions' : '/restapis';
      await raw(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Amz-Date: 20261205T000000Z\r\n` +
          `Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261205/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
        100,
      );
      aborted++;
    }
    // Each abort is logged once the server has read the request and seen the connection close (a busy machine
    // may take a while).
    const debugLines = () => server.output().slice(logBefore).split('\n').filter((l) => l.includes('client disconnected')).length;
    for (let i = 0; i < 50 && debugLines() < aborted; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    await assertHealthy();
    const log = server.output().slice(logBefore);
    assert.doesNotMatch(log, /^\s+at /m, `stack trace in the log:\n${log}`);
    assert.doesNotMatch(log, /internal error|unhandled/i, log);
    const lines = log.split('\n').filter((l) => l.includes('client disconnected'));
    assert.ok(lines.length >= aborted && lines.length <= aborted + 2, `${lines.length} debug lines for ${aborted + 2} aborts:\n${log}`);
    for (const l of lines) assert.match(l, /^debug: \([0-9a-f-]{36}\) client disconnected before the response/);
  });
});
