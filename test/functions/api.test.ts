// The Lambda API through @aws-sdk/client-lambda: shapes, defaults, versions, aliases, policies, concurrency and
// AWS's error types and messages (checked on the wire for the error body's shape).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { createFunction, decode, json, ROLE, zipOf } from './helpers.ts';
import { rejects } from '../helpers/aws-assert.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const CODE = { 'index.js': 'exports.handler = async (e) => ({ v: 1, e });' };


describe('functions', () => {
  test('CreateFunction answers 201 with the FunctionConfiguration and its defaults', async () => {
    const zip = zipOf(CODE);
    const out = await gh.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'shapes', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip } }),
    );
    const { $metadata, ...cfg } = out;
    assert.equal($metadata.httpStatusCode, 201);
    assert.match(cfg.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.match(cfg.RevisionId!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...cfg, LastModified: 'x', RevisionId: 'x' },
      {
        FunctionName: 'shapes',
        FunctionArn: `${ARN}:shapes`,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        CodeSize: zip.byteLength,
        Description: '',
        Timeout: 3,
        MemorySize: 128,
        LastModified: 'x',
        CodeSha256: createHash('sha256').update(zip).digest('base64'),
        Version: '$LATEST',
        TracingConfig: { Mode: 'PassThrough' },
        RevisionId: 'x',
        State: 'Active',
        LastUpdateStatus: 'Successful',
        PackageType: 'Zip',
        Architectures: ['x86_64'],
        EphemeralStorage: { Size: 512 },
        SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
        RuntimeVersionConfig: { RuntimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:gatehouse-nodejs22.x' },
        LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/shapes' },
      },
    );
    const get = await gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shapes' }));
    assert.equal(get.RevisionId, cfg.RevisionId);
    const full = await gh.lambda.send(new GetFunctionCommand({ FunctionName: `${ARN}:shapes` }));
    assert.equal(full.Configuration!.FunctionArn, `${ARN}:shapes`);
    assert.equal(full.Code!.RepositoryType, 'S3');
    assert.equal(full.Tags, undefined);
    assert.equal(full.Concurrency, undefined);
  });

  test('errors: unknown function, duplicate, bad runtime, reserved variables, bad zip, limits', async () => {
    await rejects(gh.lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:nope`);
    await rejects(
      gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope', Qualifier: '3' })),
      'ResourceNotFoundException',
      404,
      `Function not found: ${ARN}:nope:3`,
    );
    await rejects(createFunction(gh.lambda, 'shapes', CODE), 'ResourceConflictException', 409, 'Function already exist: shapes');
    await rejects(
      createFunction(gh.lambda, 'old', CODE, { runtime: 'nodejs12.x' }),
      'InvalidParameterValueException',
      400,
      'The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
    );
    await rejects(createFunction(gh.lambda, 'java', CODE, { runtime: 'java21' }), 'InvalidParameterValueException', 400, /^The runtime parameter of java21 is not supported by Gatehouse/);
    await rejects(
      gh.lambda.send(new CreateFunctionCommand({ FunctionName: 'nohandler', Runtime: 'nodejs22.x', Role: ROLE, Code: { ZipFile: zipOf(CODE) } })),
      'InvalidParameterValueException',
      400,
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
    await rejects(
      createFunction(gh.lambda, 'reserved', CODE, { env: { AWS_REGION: 'x', OK: 'y' } }),
      'InvalidParameterValueException',
      400,
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION',
    );
    await rejects(
      gh.lambda.send(new CreateFunctionCommand({ FunctionName: 'badzip', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: Buffer.from('not a zip') } })),
      'InvalidParameterValueException',
      400,
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
    await rejects(
      createFunction(gh.lambda, 'slow', CODE, { timeout: 901 }),
      'ValidationException',
      400,
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
    );
    await rejects(
      gh.lambda.send(new CreateFunctionCommand({ FunctionName: 'vpc', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'i.h', Code: { ZipFile: zipOf(CODE) }, VpcConfig: { SubnetIds: ['subnet-0123'], SecurityGroupIds: ['sg-0123'] } })),
      'InvalidParameterValueException',
      400,
      "VpcConfig is not supported by Gatehouse's embedded Lambda.",
    );
    await rejects(
      gh.lambda.send(new CreateFunctionCommand({ FunctionName: 's3', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'i.h', Code: { S3Bucket: 'my-bucket', S3Key: 'k.zip' } })),
      'InvalidParameterValueException',
      400,
      /^Code from S3 is not supported by Gatehouse/,
    );
  });

  test('error bodies are Lambda-shaped on the wire', async () => {
    const res = await fetch(`${gh.endpoint}/2015-03-31/functions/nope/configuration`, { headers: sigv4Headers('lambda') });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.deepEqual(await res.json(), { Type: 'User', Message: `Function not found: ${ARN}:nope` });
  });

  test('UpdateFunctionConfiguration and UpdateFunctionCode, with RevisionId preconditions', async () => {
    await createFunction(gh.lambda, 'upd', CODE);
    const before = await gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'upd' }));
    const cfg = await gh.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'upd', Timeout: 10, MemorySize: 256, Environment: { Variables: { A: '1' } }, Handler: 'index.handler', Description: 'd' }),
    );
    assert.equal(cfg.Timeout, 10);
    assert.equal(cfg.MemorySize, 256);
    assert.deepEqual(cfg.Environment, { Variables: { A: '1' } });
    assert.equal(cfg.Description, 'd');
    assert.notEqual(cfg.RevisionId, before.RevisionId);
    await rejects(
      gh.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'upd', Timeout: 5, RevisionId: before.RevisionId })),
      'PreconditionFailedException',
      412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    const zip = zipOf({ 'index.js': 'exports.handler = async () => ({ v: 2, a: process.env.A });' });
    const code = await gh.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'upd', ZipFile: zip }));
    assert.equal(code.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(code.Timeout, 10);
    const out = await gh.lambda.send(new InvokeCommand({ FunctionName: 'upd' }));
    assert.deepEqual(json(out.Payload), { v: 2, a: '1' });
  });

  test('ListFunctions paginates with Marker and MaxItems', async () => {
    for (const n of ['list-a', 'list-b', 'list-c']) await createFunction(gh.lambda, n, CODE);
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await gh.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok(page.Functions!.length <= 2);
      names.push(...page.Functions!.map((f) => f.FunctionName!));
      for (const f of page.Functions!) assert.equal(f.FunctionArn, `${ARN}:${f.FunctionName}`);
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(names.filter((n) => n.startsWith('list-')), ['list-a', 'list-b', 'list-c']);
  });

  test('DeleteFunction removes the function; invoking it is then ResourceNotFoundException', async () => {
    await createFunction(gh.lambda, 'gone', CODE);
    const del = await gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await rejects(gh.lambda.send(new InvokeCommand({ FunctionName: 'gone' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:gone`);
    await rejects(gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:gone`);
  });

  test('Invoke: DryRun, Event, bad payloads', async () => {
    await createFunction(gh.lambda, 'inv', CODE);
    const dry = await gh.lambda.send(new InvokeCommand({ FunctionName: 'inv', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    const ev = await gh.lambda.send(new InvokeCommand({ FunctionName: 'inv', InvocationType: 'Event', Payload: '{}' }));
    assert.equal(ev.StatusCode, 202);
    assert.equal(decode(ev.Payload), '');
    await rejects(
      gh.lambda.send(new InvokeCommand({ FunctionName: 'inv', Payload: '{nope' })),
      'InvalidRequestContentException',
      400,
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
    await rejects(gh.lambda.send(new InvokeCommand({ FunctionName: 'inv', Qualifier: 'missing' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:inv:missing`);
    await rejects(
      gh.lambda.send(new InvokeCommand({ FunctionName: 'inv:1', Qualifier: '2' })),
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
    const legacy = await gh.lambda.send(new InvokeAsyncCommand({ FunctionName: 'inv', InvokeArgs: Buffer.from('{}') }));
    assert.equal(legacy.Status, 202);
    const empty = await gh.lambda.send(new InvokeCommand({ FunctionName: `${ARN}:inv` }));
    assert.deepEqual(json(empty.Payload), { v: 1, e: {} });
  });
});

describe('versions and aliases', () => {
  test('PublishVersion, ListVersionsByFunction, qualified invocations', async () => {
    await createFunction(gh.lambda, 'ver', { 'index.js': 'exports.handler = async () => "one";' });
    const v1 = await gh.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', Description: 'first' }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${ARN}:ver:1`);
    assert.equal(v1.Description, 'first');
    const again = await gh.lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }));
    assert.equal(again.Version, '1', 'nothing changed since version 1');
    await rejects(
      gh.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', CodeSha256: 'abc' })),
      'InvalidParameterValueException',
      400,
      `CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST(${v1.CodeSha256}). Please try again with the new CodeSHA256.`,
    );
    await gh.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'ver', ZipFile: zipOf({ 'index.js': 'exports.handler = async () => "two";' }), Publish: true }));
    const versions = await gh.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver' }));
    assert.deepEqual(versions.Versions!.map((v) => [v.Version, v.FunctionArn]), [
      ['$LATEST', `${ARN}:ver:$LATEST`],
      ['1', `${ARN}:ver:1`],
      ['2', `${ARN}:ver:2`],
    ]);
    const one = await gh.lambda.send(new InvokeCommand({ FunctionName: 'ver', Qualifier: '1' }));
    assert.equal(decode(one.Payload), '"one"');
    assert.equal(one.ExecutedVersion, '1');
    const latest = await gh.lambda.send(new InvokeCommand({ FunctionName: 'ver:$LATEST' }));
    assert.equal(decode(latest.Payload), '"two"');
    const cfg = await gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver', Qualifier: '1' }));
    assert.equal(cfg.FunctionArn, `${ARN}:ver:1`);
    assert.equal(cfg.Version, '1');
  });

  test('aliases: create, get, invoke, update, list, delete, and their errors', async () => {
    const alias = await gh.lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    assert.equal(alias.$metadata.httpStatusCode, 201);
    assert.deepEqual({ ...alias, $metadata: undefined, RevisionId: 'x' }, {
      $metadata: undefined,
      AliasArn: `${ARN}:ver:live`,
      Name: 'live',
      FunctionVersion: '1',
      Description: 'prod',
      RevisionId: 'x',
    });
    await rejects(
      gh.lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1' })),
      'ResourceConflictException',
      409,
      `Alias already exists: ${ARN}:ver:live`,
    );
    await rejects(gh.lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'x', FunctionVersion: '9' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:ver:9`);
    await rejects(gh.lambda.send(new GetAliasCommand({ FunctionName: 'ver', Name: 'nope' })), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN}:ver:nope`);
    const viaAlias = await gh.lambda.send(new InvokeCommand({ FunctionName: 'ver', Qualifier: 'live' }));
    assert.equal(decode(viaAlias.Payload), '"one"');
    assert.equal(viaAlias.ExecutedVersion, '1');
    const aliasCfg = await gh.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver:live' }));
    assert.equal(aliasCfg.FunctionArn, `${ARN}:ver:live`);
    assert.equal(aliasCfg.Version, '1');
    await rejects(
      gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '1' })),
      'ResourceConflictException',
      409,
      'Unable to delete version because the following aliases reference it: [live]',
    );
    await rejects(
      gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '$LATEST' })),
      'InvalidParameterValueException',
      400,
      '$LATEST version cannot be deleted without deleting the function.',
    );
    const updated = await gh.lambda.send(new UpdateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '2' }));
    assert.equal(updated.FunctionVersion, '2');
    await rejects(
      gh.lambda.send(new UpdateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1', RevisionId: alias.RevisionId })),
      'PreconditionFailedException',
      412,
      /^The Revision Id provided does not match/,
    );
    const weighted = await gh.lambda.send(
      new CreateAliasCommand({ FunctionName: 'ver', Name: 'canary', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }),
    );
    assert.deepEqual(weighted.RoutingConfig, { AdditionalVersionWeights: { '2': 0.5 } });
    const seen = new Set<string>();
    for (let i = 0; i < 30 && seen.size < 2; i++) seen.add((await gh.lambda.send(new InvokeCommand({ FunctionName: 'ver:canary' }))).ExecutedVersion!);
    assert.deepEqual([...seen].sort(), ['1', '2']);
    await rejects(
      gh.lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'bad', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })),
      'InvalidParameterValueException',
      400,
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
    const list = await gh.lambda.send(new ListAliasesCommand({ FunctionName: 'ver' }));
    assert.deepEqual(list.Aliases!.map((a) => a.Name), ['canary', 'live']);
    const filtered = await gh.lambda.send(new ListAliasesCommand({ FunctionName: 'ver', FunctionVersion: '2' }));
    assert.deepEqual(filtered.Aliases!.map((a) => a.Name), ['live']);
    const del = await gh.lambda.send(new DeleteAliasCommand({ FunctionName: 'ver', Name: 'canary' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await gh.lambda.send(new DeleteAliasCommand({ FunctionName: 'ver', Name: 'live' }));
    await gh.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '1' }));
    const after = await gh.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver' }));
    assert.deepEqual(after.Versions!.map((v) => v.Version), ['$LATEST', '2']);
  });
});

describe('policies, concurrency, tags, account', () => {
  test('AddPermission, GetPolicy, RemovePermission', async () => {
    await createFunction(gh.lambda, 'pol', CODE);
    const sourceArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/pets';
    const added = await gh.lambda.send(
      new AddPermissionCommand({ FunctionName: 'pol', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: sourceArn }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    const statement = {
      Sid: 'apigw',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `${ARN}:pol`,
      Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    };
    assert.deepEqual(JSON.parse(added.Statement!), statement);
    await rejects(
      gh.lambda.send(new AddPermissionCommand({ FunctionName: 'pol', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: '123456789012' })),
      'ResourceConflictException',
      409,
      'The statement id (apigw) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
    const policy = await gh.lambda.send(new GetPolicyCommand({ FunctionName: 'pol' }));
    assert.deepEqual(JSON.parse(policy.Policy!), { Version: '2012-10-17', Id: 'default', Statement: [statement] });
    const svc = gh.gatehouse.services.functions as import('../../src/functions/index.ts').EmbeddedFunctions;
    const check = { region: 'us-east-1', functionName: 'pol', principal: 'apigateway.amazonaws.com', sourceAccount: '123456789012' };
    assert.equal(await svc.checkInvokePermission({ ...check, sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets' }), true);
    assert.equal(await svc.checkInvokePermission({ ...check, sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/pets' }), false);
    await rejects(
      gh.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'other' })),
      'ResourceNotFoundException',
      404,
      'Statement other is not found in resource policy.',
    );
    const removed = await gh.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'apigw' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await rejects(gh.lambda.send(new GetPolicyCommand({ FunctionName: 'pol' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
  });

  test('reserved concurrency: put, get, delete, account minimum', async () => {
    const put = await gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'pol', ReservedConcurrentExecutions: 5 }));
    assert.equal(put.ReservedConcurrentExecutions, 5);
    assert.equal((await gh.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'pol' }))).ReservedConcurrentExecutions, 5);
    assert.deepEqual((await gh.lambda.send(new GetFunctionCommand({ FunctionName: 'pol' }))).Concurrency, { ReservedConcurrentExecutions: 5 });
    const settings = await gh.lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit!.ConcurrentExecutions, 1000);
    assert.equal(settings.AccountLimit!.UnreservedConcurrentExecutions, 995);
    await rejects(
      gh.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'pol', ReservedConcurrentExecutions: 901 })),
      'InvalidParameterValueException',
      400,
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    const del = await gh.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'pol' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    const none = await gh.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'pol' }));
    assert.equal(none.ReservedConcurrentExecutions, undefined);
  });

  test('tags', async () => {
    await gh.lambda.send(new TagResourceCommand({ Resource: `${ARN}:pol`, Tags: { team: 'a', env: 'dev' } }));
    await gh.lambda.send(new UntagResourceCommand({ Resource: `${ARN}:pol`, TagKeys: ['env'] }));
    assert.deepEqual((await gh.lambda.send(new ListTagsCommand({ Resource: `${ARN}:pol` }))).Tags, { team: 'a' });
    assert.deepEqual((await gh.lambda.send(new GetFunctionCommand({ FunctionName: 'pol' }))).Tags, { team: 'a' });
  });
});
