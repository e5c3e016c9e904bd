// `gatehouse import FILE` end to end: the spawned CLI against a running Gatehouse.
// - It imports (ImportRestApi) and deploys to `dev`, printing the id and the stage's URL; with --api-id it overwrites
//   (PutRestApi) the same API and deploys to --stage; it signs with the data directory's bootstrap key, which a
//   --require-auth server verifies.
// - `--watch` redeploys on each save, also when the editor renames a new file over the old one, printing what
//   changed; a save that does not parse or that the server refuses is reported in one line and the stage keeps
//   answering with the last good version; the next good save is deployed; so is a file removed and written again.
// - An API imported whose deployment failed is named (and --watch keeps updating it, never creating a second one);
//   a server not up yet is one line, and the next save is sent again even if its contents did not change; the
//   directory removed ends the watch with exit code 1 and a line saying why.
// - Failures are one line on stderr (`gatehouse: …`) and exit 1: a server that cannot be reached, a file that is
//   missing, empty, not JSON/YAML or not an object, a bad stage name, and AWS's own error when the server refuses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { APIGatewayClient, GetResourcesCommand, GetRestApisCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { stringify } from 'yaml';
import { startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { MAIN, runImport } from './import-helpers.ts';
import { readCredentialsFile } from '../../src/identity/bootstrap.ts';

describe('gatehouse import: failures in one line', () => {
  let gh: Running;
  let dir: string;
  before(async () => {
    gh = await startGatehouse();
    dir = tempDataDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'bad.yaml'), 'paths: [\n');
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {} }));
  });
  after(() => gh.stop());

  test('an unreachable server is named with its address and how to point elsewhere', async () => {
    const r = await runImport([join(dir, 'ok.json'), '--endpoint', 'http://127.0.0.1:1']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'gatehouse: cannot reach Gatehouse at http://127.0.0.1:1 (ECONNREFUSED); is `gatehouse serve` running there? (--endpoint URL)\n');
  });

  test('files that cannot be read or parsed are refused before anything is sent', async () => {
    const cases: Array<[string, string]> = [
      ['missing.json', `cannot read ${join(dir, 'missing.json')}: no such file`],
      ['sub', `cannot read ${join(dir, 'sub')}: is a directory`],
      ['empty.json', `${join(dir, 'empty.json')} is empty`],
      ['bad.yaml', `${join(dir, 'bad.yaml')} is not valid JSON or YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1`],
      ['list.yaml', `${join(dir, 'list.yaml')} is not an OpenAPI or Swagger document (no top-level object)`],
    ];
    for (const [name, message] of cases) {
      // The endpoint is unreachable: a file problem is reported first, without trying the server.
      const r = await runImport([join(dir, name), '--endpoint', 'http://127.0.0.1:1']);
      assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 1, stdout: '', stderr: `gatehouse: ${message}\n` }, name);
    }
  });

  test('a stage name API Gateway would refuse is refused by the flag', async () => {
    const r = await runImport([join(dir, 'ok.json'), '--stage', 'my stage', '--endpoint', gh.endpoint]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "gatehouse: option '--stage <name>' argument 'my stage' is invalid. a stage name is letters, digits, - and _ only\n");
  });

  test("the server's refusal is printed as AWS's error type and message", async () => {
    const r = await runImport([join(dir, 'ok.json'), '--api-id', 'nosuchapi1', '--endpoint', gh.endpoint]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'gatehouse: PutRestApi: NotFoundException: Invalid API identifier specified 123456789012:nosuchapi1\n');
  });
});

/** A Swagger 2.0 API whose paths answer GET with a MOCK template each. */
function mockApi(title: string, answers: Record<string, string>): string {
  const paths: Record<string, unknown> = {};
  for (const [path, body] of Object.entries(answers)) {
    paths[path] = {
      get: {
        responses: { '200': { description: 'OK' } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: 'when_no_match',
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': body } } },
        },
      },
    };
  }
  return stringify({ swagger: '2.0', info: { title, version: '1' }, paths });
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

const LINE_URL = (endpoint: string, id: string, stage: string) => `${endpoint}/restapis/${id}/${stage}/_user_request_/`;

describe('gatehouse import: create, overwrite, deploy', () => {
  let gh: Running;
  let dir: string;
  before(async () => {
    gh = await startGatehouse();
    dir = tempDataDir();
  });
  after(() => gh.stop());

  test('creates the API, deploys it to dev and prints its id and URL; --api-id overwrites it and deploys to --stage', async () => {
    const file = join(dir, 'shop.yaml');
    writeFileSync(file, mockApi('Shop', { '/hello': '{"v": 1}', '/old': '"old"' }));
    const created = await runImport([file, '--endpoint', gh.endpoint]);
    assert.equal(created.stderr, '');
    assert.equal(created.code, 0);
    const m = /^Created API ([a-z0-9]{10}) \(Shop\) from (.+); deployment ([a-z0-9]+) on stage dev: (\S+)\n$/.exec(created.stdout);
    assert.ok(m, created.stdout);
    const id = m[1]!;
    assert.equal(m[2], file);
    assert.equal(m[4], LINE_URL(gh.endpoint, id, 'dev'));
    assert.deepEqual(await get(`${m[4]}hello`), { status: 200, body: '{"v": 1}' });
    const stage = await gh.apigateway.send(new GetStageCommand({ restApiId: id, stageName: 'dev' }));
    assert.equal(stage.deploymentId, m[3]);

    writeFileSync(file, mockApi('Shop', { '/hello': '{"v": 2}', '/new': '"new"' }));
    const updated = await runImport([file, '--api-id', id, '--stage', 'prod', '--endpoint', gh.endpoint]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, new RegExp(`^Updated API ${id} \\(Shop\\) from .+; deployment [a-z0-9]+ on stage prod: ${LINE_URL(gh.endpoint, id, 'prod').replaceAll('/', '\\/')}\\n$`));
    assert.deepEqual(await get(`${LINE_URL(gh.endpoint, id, 'prod')}hello`), { status: 200, body: '{"v": 2}' });
    assert.deepEqual(await get(`${LINE_URL(gh.endpoint, id, 'prod')}new`), { status: 200, body: '"new"' });
    // Overwrite: /old is gone from the API; dev keeps its own deployment until redeployed.
    const paths = (await gh.apigateway.send(new GetResourcesCommand({ restApiId: id }))).items!.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/', '/hello', '/new']);
    assert.deepEqual(await get(`${LINE_URL(gh.endpoint, id, 'dev')}old`), { status: 200, body: '"old"' });
    const apis = (await gh.apigateway.send(new GetRestApisCommand({}))).items!.filter((a) => a.name === 'Shop');
    assert.equal(apis.length, 1);
  });
});

describe('gatehouse import: the bootstrap key of the data directory signs for a --require-auth server', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse({ config: { requireAuth: true } });
  });
  after(() => gh.stop());

  test('no AWS credentials in the environment: admin-credentials is used and accepted', async () => {
    const file = join(tempDataDir(), 'api.yaml');
    writeFileSync(file, mockApi('Signed', { '/x': '"x"' }));
    const r = await runImport([file, '--endpoint', gh.endpoint, '--data-dir', gh.dataDir]);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Created API [a-z0-9]{10} \(Signed\) /);
    // A made-up key is refused by the same server, with AWS's error.
    const refused = await runImport([file, '--endpoint', gh.endpoint], { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^gatehouse: ImportRestApi: UnrecognizedClientException: The security token included in the request is invalid\.\n$/);
    const admin = readCredentialsFile(join(gh.dataDir, 'admin-credentials'))!;
    const client = new APIGatewayClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    const names = (await client.send(new GetRestApisCommand({}))).items!.map((a) => a.name);
    client.destroy();
    assert.deepEqual(names, ['Signed']);
  });
});

/** The spawned `gatehouse import --watch`, with a way to wait for its next output line. */
class Watcher {
  readonly child: ChildProcess;
  private out = '';
  private seen = 0;
  constructor(args: string[]) {
    this.child = spawn(process.execPath, [MAIN, 'import', ...args, '--watch'], { env: { PATH: process.env.PATH, HOME: tempDataDir() }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.out += d));
  }
  /** The next complete line printed after the ones already returned. */
  async nextLine(): Promise<string> {
    for (let waited = 0; waited < 20_000; waited += 20) {
      const lines = this.out.split('\n');
      if (lines.length - 1 > this.seen) return lines[this.seen++]!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no new line from gatehouse import --watch; output so far:\n${this.out}`);
  }
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}

describe('gatehouse import --watch', () => {
  let gh: Running;
  let watcher: Watcher;
  before(async () => {
    gh = await startGatehouse();
  });
  after(async () => {
    await watcher?.stop();
    await gh.stop();
  });

  test('redeploys on every save with what changed; invalid saves keep the last good version serving', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'api.yaml');
    writeFileSync(file, mockApi('Watched', { '/a': '"a1"', '/b': '"b1"' }));
    watcher = new Watcher([file, '--endpoint', gh.endpoint]);
    assert.equal(await watcher.nextLine(), `Watching ${file} (stage dev, ${gh.endpoint}); Ctrl-C to stop`);
    const first = /^\d\d:\d\d:\d\d created API ([a-z0-9]{10}); deployed [a-z0-9]+ to dev in \d+ ms: (\S+)$/.exec(await watcher.nextLine());
    assert.ok(first);
    const base = first[2]!;
    assert.equal(base, LINE_URL(gh.endpoint, first[1]!, 'dev'));
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a1"' });

    // A plain save: one method changed, two paths added, one removed.
    writeFileSync(file, mockApi('Watched', { '/a': '"a2"', '/c': '"c"', '/d': '"d"' }));
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d \+2 paths, -1 path, ~1 method; deployed [a-z0-9]+ to dev in \d+ ms: /);
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a2"' });
    assert.deepEqual(await get(`${base}c`), { status: 200, body: '"c"' });
    assert.equal((await get(`${base}b`)).status, 403);

    // An editor's save: a new file renamed over the old one.
    writeFileSync(join(dir, '.api.yaml.swp'), mockApi('Watched', { '/a': '"a3"', '/c': '"c"', '/d': '"d"' }));
    renameSync(join(dir, '.api.yaml.swp'), file);
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d ~1 method; deployed [a-z0-9]+ to dev in \d+ ms: /);
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a3"' });

    // A save that does not parse: said in one line, nothing deployed.
    writeFileSync(file, 'swagger: "2.0"\npaths: [\n');
    assert.match(await watcher.nextLine(), new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${file.replaceAll('/', '\\/')} is not valid JSON or YAML: .+ at line 3, column 1; still serving the last good version$`));
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a3"' });

    // A save the server refuses (OpenAPI 3.1 is not importable): AWS's error in one line, nothing deployed.
    writeFileSync(file, stringify({ openapi: '3.1.0', info: { title: 'Watched', version: '1' }, paths: {} }));
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d PutRestApi: BadRequestException: .+; still serving the last good version$/);
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a3"' });

    // The next good save is compared with the last good version, and deployed.
    writeFileSync(file, mockApi('Watched', { '/a': '"a4"', '/c': '"c"', '/d': '"d"' }));
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d ~1 method; deployed [a-z0-9]+ to dev in \d+ ms: /);
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a4"' });

    // The file removed: said once, the stage unchanged; written again: compared with the last good version.
    unlinkSync(file);
    assert.match(await watcher.nextLine(), new RegExp(`^\\d\\d:\\d\\d:\\d\\d cannot read ${file.replaceAll('/', '\\/')}: no such file; still serving the last good version$`));
    assert.deepEqual(await get(`${base}a`), { status: 200, body: '"a4"' });
    writeFileSync(file, mockApi('Watched', { '/a': '"a4"', '/c': '"c"', '/d': '"d"', '/e': '"e"' }));
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d \+1 path; deployed [a-z0-9]+ to dev in \d+ ms: /);
    assert.deepEqual(await get(`${base}e`), { status: 200, body: '"e"' });

    // Exactly one API was made, and SIGTERM ends the watch cleanly.
    const apis = (await gh.apigateway.send(new GetRestApisCommand({}))).items!.filter((a) => a.name === 'Watched');
    assert.equal(apis.length, 1);
    assert.equal(await watcher.stop(), 0);
  });
});

describe('gatehouse import: an import whose deployment fails, a server that comes up late', () => {
  let gh: Running | undefined;
  let watcher: Watcher | undefined;
  after(async () => {
    await watcher?.stop();
    await gh?.stop();
  });

  test('the created API is named when only CreateDeployment failed; --watch then updates that API, not a new one', async () => {
    gh = await startGatehouse();
    const file = join(tempDataDir(), 'empty.yaml');
    writeFileSync(file, stringify({ swagger: '2.0', info: { title: 'NoMethodsYet', version: '1' }, paths: {} }));
    const once = await runImport([file, '--endpoint', gh.endpoint]);
    const id = (await gh.apigateway.send(new GetRestApisCommand({}))).items!.find((a) => a.name === 'NoMethodsYet')!.id!;
    assert.deepEqual(once, {
      code: 1, stdout: '',
      stderr: `gatehouse: CreateDeployment: BadRequestException: The REST API doesn't contain any methods (API ${id} was created: use --api-id ${id} to update it)\n`,
    });

    watcher = new Watcher([file, '--endpoint', gh.endpoint, '--api-id', id]);
    await watcher.nextLine(); // Watching …
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d CreateDeployment: BadRequestException: The REST API doesn't contain any methods$/);
    writeFileSync(file, mockApi('NoMethodsYet', { '/ready': '"ready"' }));
    assert.match(await watcher.nextLine(), new RegExp(`^\\d\\d:\\d\\d:\\d\\d updated API ${id}; deployed [a-z0-9]+ to dev in \\d+ ms: `));
    const res = await fetch(`${LINE_URL(gh.endpoint, id, 'dev')}ready`);
    assert.deepEqual([res.status, await res.text()], [200, '"ready"']);
    assert.equal((await gh.apigateway.send(new GetRestApisCommand({}))).items!.filter((a) => a.name === 'NoMethodsYet').length, 1);
    await watcher.stop();
    await gh.stop();
    gh = undefined;
  });

  test('--watch against a server that is not up yet: said in one line; the next save, even unchanged, is sent again', async () => {
    // A port nothing listens on, then Gatehouse on it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const endpoint = `http://127.0.0.1:${port}`;
    const file = join(tempDataDir(), 'late.yaml');
    const text = mockApi('Late', { '/a': '"late"' });
    writeFileSync(file, text);
    watcher = new Watcher([file, '--endpoint', endpoint]);
    await watcher.nextLine(); // Watching …
    assert.equal((await watcher.nextLine()).slice(9), `cannot reach Gatehouse at ${endpoint} (ECONNREFUSED); is \`gatehouse serve\` running there? (--endpoint URL)`);
    gh = await startGatehouse({ config: { port } });
    writeFileSync(file, text);
    assert.match(await watcher.nextLine(), /^\d\d:\d\d:\d\d created API [a-z0-9]{10}; deployed /);
  });
});

test('--watch stops with exit code 1, saying so, when the directory of the file is removed', async () => {
  const dir = join(tempDataDir(), 'defs');
  mkdirSync(dir);
  const file = join(dir, 'api.yaml');
  writeFileSync(file, 'swagger: "2.0"\n');
  const w = new Watcher([file, '--endpoint', 'http://127.0.0.1:1']);
  await w.nextLine(); // Watching …
  await w.nextLine(); // cannot reach …
  rmSync(dir, { recursive: true });
  assert.equal((await w.nextLine()).slice(9), `${dir} was removed; no longer watching (the stage keeps the last good version)`);
  assert.equal(await new Promise((r) => (w.child.exitCode !== null ? r(w.child.exitCode) : w.child.once('exit', r))), 1);
});
