// `gatehouse import` given hostile files: a YAML alias bomb ("billion laughs") and nesting deep enough to exhaust a
// recursive parser are refused in one line by the CLI itself (exit 1, no stack trace, nothing sent: the endpoint
// given is unreachable, and the parse error is what is reported), and under --watch such a save is one line while
// the stage keeps answering with the last good version.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT, startGatehouse, tempDataDir, type Running } from '../helpers/gatehouse.ts';
import { runImport } from '../cli/import-helpers.ts';
import { until } from '../helpers/until.ts';

let gh: Running;
let dir: string;
before(async () => {
  gh = await startGatehouse();
  dir = tempDataDir();
});
after(() => gh.stop());

/** 10^12 nodes once expanded, a few hundred bytes on disk. */
function aliasBomb(): string {
  const lines = ['swagger: "2.0"', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
  let prev = 'a';
  for (let i = 1; i <= 11; i++) {
    lines.push(`l${i}: &l${i} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    prev = `l${i}`;
  }
  return `${lines.join('\n')}\n`;
}

const mockApi = (body: string) => stringify({
  swagger: '2.0', info: { title: 'Hostile', version: '1' },
  paths: { '/a': { get: { responses: { '200': { description: 'OK' } }, 'x-amazon-apigateway-integration': {
    type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' },
    responses: { default: { statusCode: '200', responseTemplates: { 'application/json': body } } } } } } },
});

test('an alias bomb is refused by the CLI in one line, before anything is sent', async () => {
  const file = join(dir, 'bomb.yaml');
  writeFileSync(file, aliasBomb());
  const r = await runImport([file, '--endpoint', 'http://127.0.0.1:1']);
  assert.deepEqual(r, { code: 1, stdout: '', stderr: `gatehouse: ${file} is not valid JSON or YAML: Excessive alias count indicates a resource exhaustion attack\n` });
});

test('nesting deeper than the YAML parser can take is one line, not a crash', async () => {
  const file = join(dir, 'deep.yaml');
  writeFileSync(file, `swagger: "2.0"\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  const r = await runImport([file, '--endpoint', 'http://127.0.0.1:1']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^gatehouse: ${file.replaceAll('/', '\\/')} is not valid JSON or YAML: collections nested more than 256 deep\\n$`));
});

test('--watch: an alias-bomb save is one line and the last good version keeps answering', async () => {
  const file = join(dir, 'watched.yaml');
  writeFileSync(file, mockApi('"good"'));
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'import', file, '--watch', '--endpoint', gh.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const lines = async (n: number) => {
    await until(() => out.split('\n').length - 1 >= n, `${n} lines of output`, 20_000);
    return out.split('\n').slice(0, n);
  };
  try {
    const [, created] = await lines(2);
    const url = / (http:\/\/\S+)$/.exec(created!)![1]!;
    assert.equal(await (await fetch(`${url}a`)).text(), '"good"');
    writeFileSync(file, aliasBomb());
    const third = (await lines(3))[2]!;
    assert.match(third, / is not valid JSON or YAML: Excessive alias count indicates a resource exhaustion attack; still serving the last good version$/);
    const res = await fetch(`${url}a`);
    assert.deepEqual([res.status, await res.text()], [200, '"good"']);
  } finally {
    child.kill('SIGTERM');
  }
});
