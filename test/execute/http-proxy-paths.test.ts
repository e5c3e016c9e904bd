// HTTP_PROXY has two ways through the data plane: a one-pass header path when nothing reads the header maps (no
// header mappings, no execution log, no compression), and the general path. Both must put the same headers on the
// wire, in both directions: the backend sees the client's headers plus API Gateway's, the client sees the
// backend's with reserved ones remapped to x-amzn-Remapped-*, repeated headers kept apart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { ApiBuilder, startGatehouse } from './helpers.ts';
import type { Running } from '../helpers/gatehouse.ts';

interface Seen {
  url: string;
  rawHeaders: string[];
}

describe('HTTP_PROXY: the one-pass header path and the general path agree', () => {
  let gh: Running;
  let backend: Server;
  let backendUrl: string;
  const seen: Seen[] = [];
  let api: ApiBuilder;

  before(async () => {
    backend = createServer((req, res) => {
      seen.push({ url: req.url!, rawHeaders: req.rawHeaders });
      req.resume();
      req.on('end', () => {
        res.writeHead(201, [
          'Content-Type', 'text/plain',
          'Set-Cookie', 'a=1; Path=/',
          'Set-Cookie', 'b=2; Path=/',
          'Server', 'backend/1.0',
          'WWW-Authenticate', 'Basic realm="x"',
          'X-Custom', 'kept',
          'Content-Length', '2',
        ]);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
    gh = await startGatehouse();
    api = await ApiBuilder.create(gh);
    // Only a path mapping: the one-pass path.
    await api.method('/fast/{proxy+}', 'ANY', {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `${backendUrl}/up/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
    // A header mapping makes the general path read the header maps.
    await api.method('/general/{proxy+}', 'ANY', {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `${backendUrl}/up/{proxy}`,
      requestParameters: {
        'integration.request.path.proxy': 'method.request.path.proxy',
        'integration.request.header.X-Static': "'mapped'",
      },
    });
    await api.deploy('prod');
  });

  after(async () => {
    await gh.stop();
    await new Promise((r) => backend.close(r));
  });

  const pairs = (raw: string[]) => {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
    return out;
  };
  const VARYING = new Set(['x-amzn-trace-id', 'x-amzn-requestid', 'x-amz-apigw-id', 'date', 'x-forwarded-port', 'host', 'x-static']);

  test('the backend receives the same headers either way, with API Gateway\'s additions', async () => {
    seen.length = 0;
    const headers = { 'X-Client': 'c1', Accept: 'text/plain' };
    const fast = await api.invoke('prod', '/fast/a/b?x=1', { headers });
    const general = await api.invoke('prod', '/general/a/b?x=1', { headers });
    assert.equal(fast.status, 201);
    assert.equal(general.status, 201);
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.url, '/up/a/b?x=1');
    assert.equal(seen[1]!.url, '/up/a/b?x=1');
    const [f, g] = seen.map((s) => pairs(s.rawHeaders));
    const names = (p: Array<[string, string]>) => p.map(([n]) => n).filter((n) => !VARYING.has(n)).sort();
    assert.deepEqual(names(f!), names(g!));
    const get = (p: Array<[string, string]>, n: string) => p.filter(([k]) => k === n).map(([, v]) => v);
    assert.deepEqual(get(f!, 'x-client'), ['c1']);
    assert.deepEqual(get(f!, 'user-agent').length, 1);
    assert.deepEqual(get(f!, 'x-amzn-apigateway-api-id'), [api.apiId]);
    assert.deepEqual(get(f!, 'x-forwarded-for').length, 1);
    assert.deepEqual(get(f!, 'x-amzn-trace-id').length, 1);
    assert.deepEqual(get(g!, 'x-static'), ['mapped']);
  });

  test('the client receives the same headers either way: reserved ones remapped, Set-Cookie kept apart', async () => {
    const fast = await api.invoke('prod', '/fast/z');
    const general = await api.invoke('prod', '/general/z');
    for (const r of [fast, general]) {
      assert.equal(r.status, 201);
      assert.equal(r.body, 'ok');
      assert.deepEqual(r.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(r.headers['x-amzn-remapped-server'], 'backend/1.0');
      // The proxy list of remapped headers is shorter than the non-proxy one (see method-response.ts).
      assert.equal(r.headers['www-authenticate'], 'Basic realm="x"');
      assert.equal(r.headers['x-amzn-remapped-content-length'], '2');
      assert.equal(typeof r.headers['x-amzn-remapped-date'], 'string');
      assert.equal(r.headers['x-custom'], 'kept');
      assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
      assert.equal(typeof r.headers['x-amz-apigw-id'], 'string');
    }
    const names = (h: Record<string, unknown>) => Object.keys(h).filter((n) => !VARYING.has(n)).sort();
    assert.deepEqual(names(fast.headers), names(general.headers));
  });
});
