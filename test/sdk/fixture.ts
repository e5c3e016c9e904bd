// The API the generated SDKs are tested against, deployed on a real Gatehouse: MOCK and HTTP_PROXY backends, an
// AWS_IAM method, an API-key method, path, query and header parameters, JSON bodies and models; an IAM user allowed
// to invoke it and an API key in a usage plan of its stage. Plus: fetching an SDK, unzipping it, and running a
// script that uses it in a child Node process.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AG, ApiBuilder, startEcho, startGatehouse, type EchoServer } from '../execute/helpers.ts';
import { identityClients, type Credentials } from '../identity/helpers.ts';
import { ROOT, tempDataDir, type Running } from '../helpers/gatehouse.ts';

export interface SdkFixture {
  gh: Running;
  echo: EchoServer;
  apiId: string;
  alice: Credentials;
  /** An STS session of role `sdk-caller`, allowed to invoke the stage. */
  session: Credentials & { arn: string };
  apiKey: string;
  stop(): Promise<void>;
}

const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const PET_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Pet',
  type: 'object',
  required: ['name'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string', description: 'What the pet answers to' },
    tag: { type: 'string', enum: ['dog', 'cat'] },
    owner: { $ref: 'https://apigateway.amazonaws.com/restapis/API/models/Owner' },
  },
};
const OWNER_SCHEMA = { type: 'object', properties: { 'full-name': { type: 'string' }, pets: { type: 'array', items: { type: 'string' } } } };

export async function startSdkFixture(): Promise<SdkFixture> {
  const gh = await startGatehouse();
  const echo = await startEcho();
  const api = await ApiBuilder.create(gh, { name: 'PetStore' });
  const c = gh.apigateway;
  const restApiId = api.apiId;
  await c.send(new AG.CreateModelCommand({ restApiId, name: 'Owner', contentType: 'application/json', schema: JSON.stringify(OWNER_SCHEMA) }));
  await c.send(
    new AG.CreateModelCommand({
      restApiId,
      name: 'Pet',
      contentType: 'application/json',
      description: 'A pet of the store',
      schema: JSON.stringify(PET_SCHEMA).replace('/restapis/API/', `/restapis/${restApiId}/`),
    }),
  );

  const json = (template: string) => [{ statusCode: '200', responseTemplates: { 'application/json': template } }];
  await api.method('/', 'GET', mock, { responses: json('{"hello":"root"}') });
  await api.method('/pets', 'GET', mock, {
    method: { requestParameters: { 'method.request.querystring.type': false, 'method.request.header.X-Trace': false } },
    responses: json(`{"type":"$input.params('type')","trace":"$input.params('X-Trace')"}`),
  });
  // POST /pets reaches the echo backend, which answers with what it received (method, path, headers, body).
  await api.method('/pets', 'POST', { type: 'HTTP_PROXY', integrationHttpMethod: 'POST', uri: `${echo.url}/pets` }, { method: { requestModels: { 'application/json': 'Pet' } } });
  const petId = await api.method('/pets/{petId}', 'GET', mock, { method: { requestParameters: { 'method.request.querystring.fields': true } } });
  await c.send(new AG.PutMethodResponseCommand({ restApiId, resourceId: petId, httpMethod: 'GET', statusCode: '200', responseModels: { 'application/json': 'Pet' } }));
  await c.send(
    new AG.PutIntegrationResponseCommand({
      restApiId,
      resourceId: petId,
      httpMethod: 'GET',
      statusCode: '200',
      responseTemplates: { 'application/json': `{"id":$input.params('petId'),"name":"pet $input.params('petId')","fields":"$input.params('fields')"}` },
    }),
  );
  await api.method('/secure', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: json('{"user":"$context.identity.user","arn":"$context.identity.userArn"}') });
  await api.method('/secure/{item}', 'GET', mock, { method: { authorizationType: 'AWS_IAM' }, responses: json(`{"item":"$util.escapeJavaScript($input.params('item'))","q":"$input.params('q')"}`) });
  await api.method('/secure', 'POST', { type: 'HTTP_PROXY', integrationHttpMethod: 'POST', uri: `${echo.url}/secure` }, { method: { authorizationType: 'AWS_IAM' } });
  await api.method('/keyed', 'GET', mock, { method: { apiKeyRequired: true }, responses: json('{"apiKeyId":"$context.identity.apiKeyId"}') });
  await api.method('/files/{proxy+}', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${echo.url}/files/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } });
  await api.method('/anything', 'ANY', mock, { responses: json('{}') });
  await api.deploy('test');

  const key = await c.send(new AG.CreateApiKeyCommand({ name: 'sdk-key', enabled: true }));
  const plan = await c.send(new AG.CreateUsagePlanCommand({ name: 'sdk-plan', apiStages: [{ apiId: restApiId, stage: 'test' }] }));
  await c.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));

  const { iam, sts } = identityClients(gh.endpoint);
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:us-east-1:123456789012:${restApiId}/test/*` }] };
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'invoke', PolicyDocument: JSON.stringify(policy) }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] };
  await iam.send(new CreateRoleCommand({ RoleName: 'sdk-caller', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'sdk-caller', PolicyName: 'invoke', PolicyDocument: JSON.stringify(policy) }));
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/sdk-caller', RoleSessionName: 'sdk' }));
  iam.destroy();
  sts.destroy();

  return {
    gh,
    echo,
    apiId: restApiId,
    alice: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! },
    session: {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
      arn: assumed.AssumedRoleUser!.Arn!,
    },
    apiKey: key.value!,
    async stop() {
      await echo.close();
      await gh.stop();
    },
  };
}

/** Unzips into a new temporary directory; returns it and the zip's entry names. */
export function unzipTo(zip: Uint8Array): { dir: string; entries: string[] } {
  const dir = tempDataDir();
  const files = unzipSync(zip);
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return { dir, entries: Object.keys(files).sort() };
}

/** Runs `source` as `file` in `dir` with Node; resolves with its stdout parsed as JSON. */
export function runNode(dir: string, file: string, source: string, env: Record<string, string> = {}): Promise<any> {
  writeFileSync(join(dir, file), source);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(dir, file)], { cwd: dir, env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${file} failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`${file} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/**
 * Runs the project's tsc on `files` with the project's strictness, for a browser (the DOM library, no Node types)
 * or for Node (Node's types, no DOM); resolves with its output ('' when clean).
 */
export function typeCheck(dir: string, files: string[], platform: 'browser' | 'node'): Promise<string> {
  const tsconfig = {
    compilerOptions: {
      target: 'es2024', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
      ...(platform === 'browser' ? { lib: ['es2024', 'dom'], types: [] } : { lib: ['es2024'], types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] }),
      allowImportingTsExtensions: true, erasableSyntaxOnly: true, verbatimModuleSyntax: true, noUnusedLocals: true, isolatedModules: true,
      exactOptionalPropertyTypes: false, skipLibCheck: true,
    },
    files,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`.trim()));
  });
}
