// Model operations and GetModelTemplate through the AWS SDK. Expected responses: AWS recordings in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiModels, test_put_method_model);
// the template layout follows the example of https://docs.aws.amazon.com/apigateway/latest/api/API_GetModelTemplate.html.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ag from '@aws-sdk/client-api-gateway';
import { type Running, startGatehouse } from '../helpers/gatehouse.ts';
import { ACCOUNT, body, newApi, rejectsWith } from './rest-api-helpers.ts';

let gh: Running;
let c: ag.APIGatewayClient;
before(async () => {
  gh = await startGatehouse();
  c = gh.apigateway;
});
after(() => gh.stop());

const CALC_SCHEMA = JSON.stringify({
  title: 'Calc output',
  type: 'object',
  properties: {
    a: { type: 'number' },
    b: { type: 'number' },
    op: { description: 'operation of +, -, * or /', type: 'string' },
    c: { type: 'number' },
  },
  required: ['a', 'b', 'op'],
});

describe('Models', () => {
  test('lifecycle (recorded: test_model_lifecycle)', async () => {
    const { id } = await newApi(c);
    const created = await c.send(
      new ag.CreateModelCommand({ restApiId: id, name: 'CalcOutput', description: 'Calc output model', contentType: 'application/json', schema: CALC_SCHEMA }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.deepEqual(body(created), { id: created.id, name: 'CalcOutput', description: 'Calc output model', contentType: 'application/json', schema: CALC_SCHEMA });
    const models = await c.send(new ag.GetModelsCommand({ restApiId: id }));
    assert.deepEqual(models.items!.map((m) => m.name), ['CalcOutput', 'Empty', 'Error']);
    assert.deepEqual(models.items![0], body(created));
    assert.deepEqual(body(await c.send(new ag.GetModelCommand({ restApiId: id, modelName: 'CalcOutput' }))), body(created));
    const del = await c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'CalcOutput' }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await rejectsWith(c.send(new ag.GetModelCommand({ restApiId: id, modelName: 'CalcOutput' })), 'NotFoundException', 'Invalid model name specified: CalcOutput', 404);
  });

  test('validation (recorded: test_model_validation)', async () => {
    const { id } = await newApi(c);
    const create = (over: Partial<ag.CreateModelCommandInput>) =>
      c.send(new ag.CreateModelCommand({ restApiId: id, name: 'MySchema', contentType: 'application/json', schema: '{"type":"object"}', ...over }));
    await rejectsWith(create({ restApiId: 'abcde0' }), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:abcde0`, 404);
    await rejectsWith(c.send(new ag.GetModelsCommand({ restApiId: 'abcde0' })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:abcde0`, 404);
    await rejectsWith(c.send(new ag.GetModelCommand({ restApiId: id, modelName: 'MySchema' })), 'NotFoundException', 'Invalid model name specified: MySchema', 404);
    await rejectsWith(c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'MySchema' })), 'NotFoundException', 'Invalid model name specified: MySchema', 404);
    await create({});
    await rejectsWith(create({}), 'ConflictException', 'Model name already exists for this REST API', 409);
    await rejectsWith(create({ name: '' }), 'BadRequestException', 'Model name must be non-empty', 400);
    // The text names the model, as in the AWS import error quoted in edx/api-manager#259.
    await rejectsWith(create({ name: 'my-model' }), 'BadRequestException', 'Model name must be alphanumeric: my-model', 400);
    await rejectsWith(create({ name: 'Other', schema: '' }), 'BadRequestException', 'Model schema must have at least 1 property or array items defined', 400);
    await rejectsWith(create({ name: 'Other', schema: undefined }), 'BadRequestException', 'Model schema must have at least 1 property or array items defined', 400);
    await rejectsWith(
      create({ name: 'Other', contentType: 'application/xml', schema: undefined }),
      'BadRequestException',
      'Model schema must have at least 1 property or array items defined',
      400,
    );
    await rejectsWith(create({ name: 'Other', schema: '{"type": ' }), 'BadRequestException', /^Invalid model specified: Validation Result: warnings : \[\], errors : \[Invalid model schema specified/, 400);
    await rejectsWith(create({ name: 'Other', schema: '{"type": "nope"}' }), 'BadRequestException', /^Invalid model specified: .*Invalid model schema specified: /, 400);
    await rejectsWith(create({ name: 'Other', schema: '{"required": []}' }), 'BadRequestException', /^Invalid model specified: /, 400);
    await rejectsWith(
      create({ name: 'Other', schema: `{"$ref": "https://apigateway.amazonaws.com/restapis/${id}/models/Missing"}` }),
      'BadRequestException',
      /Unresolvable reference/,
      400,
    );
    // AWS's text for a reference that is not a model URL, quoted in Dropsource/serverless-todo-api-example-complete#3.
    await rejectsWith(
      create({ name: 'Other', schema: '{"type": "object", "properties": {"a": {"$ref": "Item"}}}' }),
      'BadRequestException',
      'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified, Model reference must be in canonical form]',
      400,
    );
  });

  test('UpdateModel (recorded: test_update_model)', async () => {
    const { id } = await newApi(c);
    await rejectsWith(
      c.send(new ag.UpdateModelCommand({ restApiId: id, modelName: 'mySchema', patchOperations: [{ op: 'replace', path: '/schema', value: '{}' }] })),
      'NotFoundException',
      'Invalid model name specified: mySchema',
      404,
    );
    await c.send(new ag.CreateModelCommand({ restApiId: id, name: 'mySchema', contentType: 'application/json', schema: '{"title":"mySchema","type":"object"}' }));
    const update = (patchOperations: ag.PatchOperation[]) => c.send(new ag.UpdateModelCommand({ restApiId: id, modelName: 'mySchema', patchOperations }));
    const updated = await update([
      { op: 'replace', path: '/schema', value: '{"title":"Updated schema","type":"object"}' },
      { op: 'replace', path: '/description', value: 'd' },
    ]);
    assert.deepEqual(body(updated), {
      id: updated.id,
      name: 'mySchema',
      contentType: 'application/json',
      description: 'd',
      schema: '{"title":"Updated schema","type":"object"}',
    });
    await rejectsWith(update([{ op: 'add', path: '/wrong-path', value: 'x' }]), 'BadRequestException', "Invalid patch path  '/wrong-path' specified for op 'add'. Please choose supported operations", 400);
    await rejectsWith(update([{ op: 'replace', path: '/name', value: 'x' }]), 'BadRequestException', "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]", 400);
    await rejectsWith(update([{ op: 'replace', path: '/schema', value: '' }]), 'BadRequestException', 'Model schema must have at least 1 property or array items defined', 400);
  });

  test('models referenced by methods or other models cannot be deleted (recorded: test_put_method_model)', async () => {
    const { id, rootId } = await newApi(c);
    await c.send(new ag.CreateModelCommand({ restApiId: id, name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' }));
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'Pet' } }));
    await rejectsWith(
      c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'Pet' })),
      'ConflictException',
      "Cannot delete model 'Pet', is referenced in method request: //ANY",
      409,
    );
    const test = await c.send(new ag.CreateResourceCommand({ restApiId: id, parentId: rootId, pathPart: 'test' }));
    await c.send(new ag.UpdateMethodCommand({ restApiId: id, resourceId: rootId, httpMethod: 'ANY', patchOperations: [{ op: 'remove', path: '/requestModels/application~1json' }] }));
    await c.send(new ag.PutMethodCommand({ restApiId: id, resourceId: test.id, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'Pet' } }));
    await rejectsWith(
      c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'Pet' })),
      'ConflictException',
      "Cannot delete model 'Pet', is referenced in method request: /test/ANY",
      409,
    );
    await c.send(new ag.DeleteMethodCommand({ restApiId: id, resourceId: test.id, httpMethod: 'ANY' }));
    await c.send(
      new ag.CreateModelCommand({
        restApiId: id,
        name: 'Pets',
        contentType: 'application/json',
        schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${id}/models/Pet` } }),
      }),
    );
    await rejectsWith(c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'Pet' })), 'ConflictException', "Cannot delete model 'Pet', is referenced in model: Pets", 409);
    const flat = await c.send(new ag.GetModelCommand({ restApiId: id, modelName: 'Pets', flatten: true }));
    assert.deepEqual(JSON.parse(flat.schema!), { type: 'array', items: { type: 'object' } });
    await c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'Pets' }));
    await c.send(new ag.DeleteModelCommand({ restApiId: id, modelName: 'Pet' }));
  });

  test('pagination of GetModels', async () => {
    const { id } = await newApi(c);
    for (const n of ['A', 'B', 'C']) {
      await c.send(new ag.CreateModelCommand({ restApiId: id, name: n, contentType: 'application/json', schema: '{"type":"object"}' }));
    }
    const p1 = await c.send(new ag.GetModelsCommand({ restApiId: id, limit: 3 }));
    assert.deepEqual(p1.items!.map((m) => m.name), ['A', 'B', 'C']);
    const p2 = await c.send(new ag.GetModelsCommand({ restApiId: id, limit: 3, position: p1.position }));
    assert.deepEqual(p2.items!.map((m) => m.name), ['Empty', 'Error']);
    assert.equal(p2.position, undefined);
  });
});

describe('GetModelTemplate', () => {
  test('flat object: strings quoted, numbers bare (AWS API reference example)', async () => {
    const { id } = await newApi(c);
    await c.send(new ag.CreateModelCommand({ restApiId: id, name: 'output', contentType: 'application/json', schema: CALC_SCHEMA }));
    const out = await c.send(new ag.GetModelTemplateCommand({ restApiId: id, modelName: 'output' }));
    assert.equal(
      out.value,
      '#set($inputRoot = $input.path(\'$\'))\n{\n  "a" : $inputRoot.a,\n  "b" : $inputRoot.b,\n  "op" : "$inputRoot.op",\n  "c" : $inputRoot.c\n}',
    );
  });

  test('default models, nested objects, arrays and $refs', async () => {
    const { id } = await newApi(c);
    const template = async (modelName: string) => (await c.send(new ag.GetModelTemplateCommand({ restApiId: id, modelName }))).value;
    assert.equal(await template('Error'), '#set($inputRoot = $input.path(\'$\'))\n{\n  "message" : "$inputRoot.message"\n}');
    assert.equal(await template('Empty'), '#set($inputRoot = $input.path(\'$\'))\n{\n}');
    await c.send(
      new ag.CreateModelCommand({
        restApiId: id,
        name: 'Pet',
        contentType: 'application/json',
        schema: JSON.stringify({ type: 'object', properties: { id: { type: 'integer' }, owner: { type: 'object', properties: { name: { type: 'string' } } } } }),
      }),
    );
    await c.send(
      new ag.CreateModelCommand({
        restApiId: id,
        name: 'Pets',
        contentType: 'application/json',
        schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${id}/models/Pet` } }),
      }),
    );
    assert.equal(
      await template('Pets'),
      [
        "#set($inputRoot = $input.path('$'))",
        '[',
        '#foreach($elem in $inputRoot)',
        '  {',
        '    "id" : $elem.id,',
        '    "owner" : {',
        '      "name" : "$elem.owner.name"',
        '    }',
        '  }#if($foreach.hasNext),#end',
        '#end',
        ']',
      ].join('\n'),
    );
    await rejectsWith(c.send(new ag.GetModelTemplateCommand({ restApiId: id, modelName: 'Nope' })), 'NotFoundException', 'Invalid model name specified: Nope', 404);
  });
});
