// Gatehouse's SigV4 signer for AWS service integrations (src/auth/sigv4-sign.ts) against the AWS SDK's own signer
// (@smithy/signature-v4): the same request signed at the same instant must carry the same Authorization.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest, type RequestToSign } from '../../../src/auth/sigv4-sign.ts';
import { Sha256 } from '../../helpers/smithy-sha256.ts';

const NOW = new Date('2026-03-04T05:06:07Z');
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...CREDS, accessKeyId: 'ASIAEXAMPLE', sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==' };

async function sdkAuthorization(req: RequestToSign, creds: typeof SESSION | typeof CREDS): Promise<string> {
  const s3 = req.service === 's3';
  const signer = new SignatureV4({ service: req.service, region: req.region, credentials: creds, sha256: Sha256, uriEscapePath: !s3, applyChecksum: s3 });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(req.query)) {
    const prior = query[k];
    query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  const headers: Record<string, string> = { host: req.host };
  for (const [k, v] of req.headers) headers[k] = v;
  const signed = await signer.sign({ method: req.method, protocol: 'http:', hostname: req.host.split(':')[0]!, port: Number(req.host.split(':')[1]), path: req.path, query, headers, body: req.body }, { signingDate: NOW });
  return signed.headers.authorization!;
}

/** Signs `req` at NOW with Gatehouse's signer, asserts the SDK signs it with the same Authorization; the headers added. */
async function signedLikeTheSdk(fields: Omit<RequestToSign, 'now'>, creds: typeof SESSION | typeof CREDS): Promise<Array<[string, string]>> {
  const req: RequestToSign = { ...fields, now: NOW };
  const added = signRequest(req, creds);
  assert.equal(added.find(([n]) => n === 'Authorization')![1], await sdkAuthorization(req, creds));
  return added;
}

describe('SigV4 signing of integration requests', () => {
  test('a JSON action (DynamoDB PutItem) with a session token', async () => {
    const added = await signedLikeTheSdk({
      method: 'POST',
      host: '127.0.0.1:8000',
      path: '/',
      query: 'Action=PutItem',
      headers: [['Accept', 'application/json'], ['X-Amz-Target', 'DynamoDB_20120810.PutItem'], ['Content-Type', 'application/x-amz-json-1.0']],
      body: Buffer.from('{"TableName":"Pets","Item":{"id":{"S":"p1"}}}'),
      region: 'us-east-1',
      service: 'dynamodb',
    }, SESSION);
    assert.deepEqual(added.map(([n]) => n), ['X-Amz-Date', 'X-Amz-Security-Token', 'Authorization']);
    assert.equal(added[0]![1], '20260304T050607Z');
  });

  test('a query-protocol path with an encoded segment and several parameters (SQS)', async () => {
    await signedLikeTheSdk({
      method: 'POST',
      host: 'localhost:9324',
      path: '/123456789012/my%20queue',
      query: 'b=2&a=1&a=0&Action=SendMessage',
      headers: [['Content-Type', 'application/x-www-form-urlencoded'], ['X-Custom', '  spaced   value ']],
      body: Buffer.from('MessageBody=hello%20world'),
      region: 'eu-west-1',
      service: 'sqs',
    }, CREDS);
  });

  test('S3: the path signed as sent, the payload hash in a header', async () => {
    const added = await signedLikeTheSdk({
      method: 'PUT',
      host: '127.0.0.1:4569',
      path: '/photos/my%20cat%2B1.png',
      query: '',
      headers: [['Content-Type', 'image/png']],
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      region: 'us-east-1',
      service: 's3',
    }, CREDS);
    assert.deepEqual(added.map(([n]) => n), ['X-Amz-Date', 'X-Amz-Content-Sha256', 'Authorization']);
  });
});
