// Attacks through custom domain names: a domain created to capture every `{apiId}.execute-api.*` host, a custom
// domain Host used to reach the control plane or the dev-mode reset, and hostile SNI names on the TLS listener.
// Each must fail, and the server must stay healthy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tlsConnect } from 'node:tls';
import { request } from 'undici';
import { AG, ApiBuilder, startGatehouse } from '../execute/helpers.ts';
import { sigv4Headers, type Running } from '../helpers/gatehouse.ts';

const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f6b8c1e-1111-2222-3333-444455556666';

describe('custom domain names cannot be turned against Gatehouse', () => {
  let gh: Running;
  let victim: ApiBuilder;
  let attacker: ApiBuilder;

  before(async () => {
    gh = await startGatehouse({ config: { tlsPort: 0 } });
    const integration = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    for (const name of ['victim', 'attacker'] as const) {
      const api = await ApiBuilder.create(gh, { name });
      const responses = [{ statusCode: '200', responseTemplates: { 'application/json': `{"api":"${name}"}` } }];
      await api.method('/{proxy+}', 'ANY', integration, { responses });
      await api.method('/', 'ANY', integration, { responses });
      await api.deploy('prod');
      if (name === 'victim') victim = api;
      else attacker = api;
    }
    // A wildcard domain over the execute-api names, mapped to the attacker's API.
    await gh.apigateway.send(new AG.CreateDomainNameCommand({ domainName: '*.execute-api.localhost', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: '*.execute-api.localhost', restApiId: attacker.apiId, stage: 'prod' }));
    await gh.apigateway.send(new AG.CreateDomainNameCommand({ domainName: 'shop.example.com', regionalCertificateArn: CERT_ARN, endpointConfiguration: { types: ['REGIONAL'] } }));
    await gh.apigateway.send(new AG.CreateBasePathMappingCommand({ domainName: 'shop.example.com', restApiId: attacker.apiId, stage: 'prod' }));
  });

  after(async () => {
    await gh.stop();
  });

  async function healthy(): Promise<void> {
    const r = await request(`${gh.endpoint}/_gatehouse/health`);
    assert.equal(r.statusCode, 200);
    await r.body.text();
  }

  test('execute-api hosts still reach their own API, not a domain named over them', async () => {
    const r = await request(`${gh.endpoint}/prod/x`, { headers: { host: `${victim.apiId}.execute-api.localhost` } });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(await r.body.json(), { api: 'victim' });
    await healthy();
  });

  test('a custom domain Host reaches only its APIs: no control plane, no reset, no product endpoints', async () => {
    const control = await request(`${gh.endpoint}/restapis`, { headers: { host: 'shop.example.com', ...sigv4Headers() } });
    assert.deepEqual(await control.body.json(), { api: 'attacker' });
    const reset = await request(`${gh.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { host: 'shop.example.com', 'x-gatehouse-confirm': 'reset' } });
    assert.deepEqual(await reset.body.json(), { api: 'attacker' });
    const apis = await gh.apigateway.send(new AG.GetRestApisCommand({}));
    assert.equal(apis.items!.length, 2, 'nothing was reset');
    await healthy();
  });

  test('hostile SNI names get the default certificate and leave the listener serving', async () => {
    const port = gh.gatehouse.tls!.port;
    for (const servername of ['a'.repeat(250) + '.example.com', 'shop.example.com.', '*.execute-api.localhost', 'xn--80ak6aa92e.com']) {
      const subject = await new Promise<string>((resolve, reject) => {
        const s = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
          const cn = s.getPeerCertificate().subject?.CN ?? '';
          s.end();
          resolve(Array.isArray(cn) ? cn.join(',') : cn);
        });
        s.on('error', reject);
      });
      assert.ok(subject === 'localhost' || subject === '*.execute-api.localhost', `${servername}: ${subject}`);
    }
    await healthy();
  });
});
