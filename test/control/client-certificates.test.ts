import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  DeleteClientCertificateCommand,
  GenerateClientCertificateCommand,
  GetClientCertificateCommand,
  GetClientCertificatesCommand,
  UpdateClientCertificateCommand,
} from '@aws-sdk/client-api-gateway';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { rejects } from '../helpers/aws-assert.ts';


const DAY_MS = 24 * 60 * 60 * 1000;

describe('ClientCertificates', () => {
  let gh: Running;
  before(async () => {
    gh = await startGatehouse();
  });
  after(() => gh.stop());

  test('GenerateClientCertificate returns a real self-signed PEM certificate valid for 365 days', async () => {
    const out = await gh.apigateway.send(new GenerateClientCertificateCommand({ description: 'backend auth', tags: { env: 'test' } }));
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.match(out.clientCertificateId!, /^[a-z0-9]{6}$/);
    assert.equal(out.description, 'backend auth');
    assert.deepEqual(out.tags, { env: 'test' });
    // Developer guide, "Generate and configure an SSL certificate for backend authentication": valid for 365 days.
    assert.equal(out.expirationDate!.getTime() - out.createdDate!.getTime(), 365 * DAY_MS);

    const cert = new X509Certificate(out.pemEncodedCertificate!);
    assert.ok(cert.verify(cert.publicKey), 'self-signed: verifies with its own key');
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    // The form of a certificate AWS issued (decoded from a published real one): C=US, L=Seattle, CN=ApiGateway,
    // self-issued, 8-byte serial, CRLF-separated PEM without a final newline.
    assert.equal(cert.subject, 'C=US\nL=Seattle\nCN=ApiGateway');
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.serialNumber.length, 16);
    assert.match(out.pemEncodedCertificate!, /^-----BEGIN CERTIFICATE-----\r\n[A-Za-z0-9+/=\r\n]+\r\n-----END CERTIFICATE-----$/);
    assert.equal(new Date(cert.validFrom).getTime(), out.createdDate!.getTime());
    assert.equal(new Date(cert.validTo).getTime(), out.expirationDate!.getTime());
  });

  test('the response carries only the model members: no private key on the wire', async () => {
    const { clientCertificateId } = await gh.apigateway.send(new GenerateClientCertificateCommand({}));
    const res = await fetch(`${gh.endpoint}/clientcertificates/${clientCertificateId}`, {
      headers: sigv4Headers(),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['clientCertificateId', 'createdDate', 'expirationDate', 'pemEncodedCertificate']);
    assert.equal(typeof body.createdDate, 'number', 'timestamps are epoch seconds');
  });

  test('UpdateClientCertificate replaces /description only', async () => {
    const { clientCertificateId } = await gh.apigateway.send(new GenerateClientCertificateCommand({ description: 'old' }));
    const out = await gh.apigateway.send(new UpdateClientCertificateCommand({
      clientCertificateId,
      patchOperations: [{ op: 'replace', path: '/description', value: 'new' }],
    }));
    assert.equal(out.description, 'new');
    const got = await gh.apigateway.send(new GetClientCertificateCommand({ clientCertificateId }));
    assert.equal(got.description, 'new');
    await rejects(
      gh.apigateway.send(new UpdateClientCertificateCommand({ clientCertificateId, patchOperations: [{ op: 'replace', path: '/pemEncodedCertificate', value: 'x' }] })),
      'BadRequestException', 400, "Invalid patch path  '/pemEncodedCertificate' specified for op 'replace'. Must be one of: [/description]",
    );
    await rejects(
      gh.apigateway.send(new UpdateClientCertificateCommand({ clientCertificateId, patchOperations: [{ op: 'add', path: '/description', value: 'x' }] })),
      'BadRequestException', 400, "Invalid patch path  '/description' specified for op 'add'. Please choose supported operations",
    );
  });

  test('GetClientCertificates pages with limit and position', async () => {
    const fresh = await startGatehouse();
    try {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await fresh.apigateway.send(new GenerateClientCertificateCommand({}))).clientCertificateId);
      const first = await fresh.apigateway.send(new GetClientCertificatesCommand({ limit: 2 }));
      assert.equal(first.items!.length, 2);
      const second = await fresh.apigateway.send(new GetClientCertificatesCommand({ limit: 2, position: first.position }));
      assert.equal(second.items!.length, 1);
      assert.equal(second.position, undefined);
      assert.deepEqual([...first.items!, ...second.items!].map((c) => c.clientCertificateId).sort(), ids.sort());
    } finally {
      await fresh.stop();
    }
  });

  test('DeleteClientCertificate answers 202; unknown ids are 404', async () => {
    const { clientCertificateId } = await gh.apigateway.send(new GenerateClientCertificateCommand({}));
    const del = await gh.apigateway.send(new DeleteClientCertificateCommand({ clientCertificateId }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const msg = 'Invalid Client Certificate identifier specified';
    await rejects(gh.apigateway.send(new GetClientCertificateCommand({ clientCertificateId })), 'NotFoundException', 404, msg);
    await rejects(gh.apigateway.send(new DeleteClientCertificateCommand({ clientCertificateId })), 'NotFoundException', 404, msg);
  });
});
