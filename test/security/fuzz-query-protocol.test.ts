// Fuzz of the awsQuery protocol (IAM, STS): 4,000 form requests naming real and invented actions with random,
// malformed and oversized parameters (list indexes, nested keys, wrong scalar types, broken percent-encoding,
// control characters). Every answer is a well-formed XML document — a `<XResponse>` for a success, an
// `<ErrorResponse>` with a Sender error for a refusal — never a 5xx; a huge flattened list is refused promptly; the
// server stays healthy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startGatehouse, sigv4Headers, type Running } from '../helpers/gatehouse.ts';
import { pick, prng } from '../helpers/fuzz.ts';
import { loadServiceModel } from '../../src/aws/model.ts';

const REQUESTS = 4000;
const PARALLEL = 8;

function post(port: number, service: 'iam' | 'sts', body: string): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { ...sigv4Headers(service), 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ERROR = /^<ErrorResponse xmlns="https:\/\/(iam|sts)\.amazonaws\.com\/doc\/\d{4}-\d\d-\d\d\/"><Error><Type>Sender<\/Type><Code>[A-Za-z]+<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/;
const SUCCESS = /^<([A-Za-z]+)Response xmlns="https:\/\/(iam|sts)\.amazonaws\.com\/doc\/\d{4}-\d\d-\d\d\/">.*<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/\1Response>$/s;

describe('fuzz: the awsQuery protocol', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(async () => {
    assert.equal((await fetch(`${gh.endpoint}/_gatehouse/health`)).status, 200);
    await gh.stop();
  });

  it(`${REQUESTS} random forms: XML answers only, no 5xx`, async () => {
    const rand = prng(0x9a11);
    const models = { iam: loadServiceModel('iam-2010-05-08.json'), sts: loadServiceModel('sts-2011-06-15.json') };
    const junk = () =>
      pick(rand, ['', 'x', '-1', '1e999', 'true', 'TRUE', '%', '%E0%A4%A', '\u0001', '<a>&amp;', "'", 'a'.repeat(200), '/', 'arn:aws:iam::123456789012:role/x', '{"Statement":[]}', '9'.repeat(30), 'ü']);
    const key = (members: string[]) => {
      const base = pick(rand, [...members, 'Tags', 'PolicyArns', 'Junk', 'Action', 'Version']);
      switch (Math.floor(rand() * 5)) {
        case 0:
          return `${base}.member.${pick(rand, ['1', '2', '0', '-1', '99999999', 'x'])}${rand() < 0.5 ? `.${pick(rand, ['Key', 'Value', 'arn', 'x'])}` : ''}`;
        case 1:
          return `${base}.entry.1.${pick(rand, ['key', 'value'])}`;
        case 2:
          return `${base}.${base}`;
        default:
          return base;
      }
    };
    const failures: string[] = [];
    let issued = 0;
    const worker = async () => {
      while (issued < REQUESTS) {
        issued++;
        const service = rand() < 0.7 ? 'iam' : 'sts';
        const model = models[service];
        const ops = Object.keys(model.operations);
        const action = rand() < 0.9 ? pick(rand, ops) : junk();
        const op = model.operations[action];
        const members = op?.input ? Object.keys(model.shapes[op.input.shape]!.members ?? {}) : [];
        const parts = [`Action=${encodeURIComponent(action)}`, `Version=${rand() < 0.9 ? model.metadata.apiVersion : encodeURIComponent(junk())}`];
        const n = Math.floor(rand() * 6);
        for (let i = 0; i < n; i++) {
          const value = junk();
          parts.push(`${encodeURIComponent(key(members))}=${rand() < 0.1 ? value : encodeURIComponent(value)}`);
        }
        if (rand() < 0.3) for (const m of members) parts.push(`${m}=${encodeURIComponent(pick(rand, ['fuzz', 'fuzz-2', '/', '3600', 'arn:aws:iam::123456789012:policy/p']))}`);
        const body = parts.join('&');
        const r = await post(gh.port, service, body);
        const what = `${r.status} ${body.slice(0, 200)} → ${r.text.slice(0, 300)}`;
        if (r.status >= 500) failures.push(what);
        else if (r.type !== 'text/xml') failures.push(`not XML: ${what}`);
        else if (r.status >= 400 ? !ERROR.test(r.text) : !SUCCESS.test(r.text)) failures.push(`malformed XML: ${what}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  });

  it('a flattened list of 100,000 members is refused by its constraint, not walked quadratically', async () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `Tags.member.${i + 1}.Key=k${i}&Tags.member.${i + 1}.Value=v`).join('&');
    const r = await post(gh.port, 'iam', `Action=CreateUser&Version=2010-05-08&UserName=many&${tags}`);
    assert.equal(r.status, 400);
    assert.match(r.text, /<Code>ValidationError<\/Code><Message>1 validation error detected: Value '\[.*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50<\/Message>/s);
  });
});
