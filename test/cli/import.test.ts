// `gatehouse import FILE` end to end: the spawned CLI against a running Gatehouse. Failures are one line on stderr
// (`gatehouse: …`) and exit 1: a server that cannot be reached, a file that is missing, empty, not JSON/YAML or not
// an object, a bad stage name, and AWS's own error when the server refuses the call.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';

const MAIN = join(ROOT, 'src/cli/main.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runImport(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, 'import', ...args], { env: { PATH: process.env.PATH, HOME: tempDataDir(), ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

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
    assert.match(r.stderr, /^gatehouse: PutRestApi: (NotFoundException: Invalid API identifier specified 123456789012:nosuchapi1|BadRequestException: PutRestApi is not available in this version of Gatehouse)\n$/);
  });
});
