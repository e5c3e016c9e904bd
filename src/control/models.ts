// Models: named JSON Schema draft-04 documents of a REST API, keyed by name. Texts follow AWS responses recorded in
// localstack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiModels,
// test_put_method_model): "Invalid model name specified: X", "Model name already exists for this REST API",
// "Cannot delete model 'X', is referenced in method request: /path/METHOD".
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Method, Model, Resource } from '../store/entities.ts';
import { requireRestApi } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { parsePatchOperations, requireReplaceOf } from './patch.ts';
import { EMPTY_SCHEMA_TEXT, modelNameOfRef, refsOf, validateModelSchema } from './models-schema.ts';
import { generateModelTemplate } from './models-template.ts';

const modelKey = (apiId: string, name: string) => `${apiId}/${name}`;

async function requireModel(tx: Tx, apiId: string, name: string): Promise<Model> {
  const model = await tx.get<Model>('models', modelKey(apiId, name));
  if (!model) throw new NotFoundException(`Invalid model name specified: ${name}`);
  return model;
}

async function modelsByName(tx: Tx, apiId: string): Promise<Map<string, Model>> {
  return new Map((await tx.list<Model>('models', `${apiId}/`)).map((i) => [i.value.name, i.value]));
}

function presentModel(model: Model): Model {
  const out = { ...model };
  if (!out.description) delete out.description;
  return out;
}

const CreateModel = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    await requireRestApi(tx, ctx, apiId);
    const name: string = input.name ?? '';
    if (!name) throw new BadRequestException('Model name must be non-empty');
    // AWS's text names the model (quoted from a real import error in edx/api-manager#259).
    if (!/^[A-Za-z0-9]+$/.test(name)) throw new BadRequestException(`Model name must be alphanumeric: ${name}`);
    const models = await modelsByName(tx, apiId);
    if (models.has(name)) throw new ConflictException('Model name already exists for this REST API');
    validateModelSchema(input.schema, apiId, (n) => models.has(n));
    const model: Model = { id: newId(6), name, contentType: input.contentType, schema: input.schema };
    if (input.description) model.description = input.description;
    await tx.put('models', modelKey(apiId, name), model);
    return presentModel(model);
  });

/** Inlines every `$ref` to another model of the API (GetModel with flatten=true). */
function flatten(node: unknown, models: Map<string, Model>, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((n) => flatten(n, models, depth));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string' && depth < 16) {
    const target = modelNameOfRef(obj.$ref);
    const model = target ? models.get(target.name) : undefined;
    if (model?.schema && !obj.$ref.includes('#')) {
      const { $schema: _ignored, ...inlined } = JSON.parse(model.schema) as Record<string, unknown>;
      return flatten(inlined, models, depth + 1);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = flatten(v, models, depth);
  return out;
}

const GetModel = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const model = presentModel(await requireModel(tx, input.restApiId, input.modelName));
    if (input.flatten && model.schema) {
      model.schema = JSON.stringify(flatten(JSON.parse(model.schema), await modelsByName(tx, input.restApiId)));
    }
    return model;
  });

const GetModels = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const models = [...(await modelsByName(tx, input.restApiId)).values()];
    const page = paginate(models, input);
    return { items: page.items.map(presentModel), ...(page.position ? { position: page.position } : {}) };
  });

const UPDATE_PATHS = ['/description', '/schema'];

const UpdateModel = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const model = { ...(await requireModel(tx, apiId, input.modelName)) };
    for (const p of parsePatchOperations(input.patchOperations)) {
      requireReplaceOf(p, UPDATE_PATHS);
      if (p.path === '/schema') {
        if (!p.value) throw new BadRequestException(EMPTY_SCHEMA_TEXT);
        const models = await modelsByName(tx, apiId);
        validateModelSchema(p.value, apiId, (n) => models.has(n));
        model.schema = p.value;
      } else if (p.value) model.description = p.value;
      else delete model.description;
    }
    await tx.put('models', modelKey(apiId, model.name), model);
    return presentModel(model);
  });

/** Where a model is still used: method requests and responses, then other models' `$ref`s. */
async function checkNotReferenced(tx: Tx, apiId: string, name: string): Promise<void> {
  const resources = new Map((await tx.list<Resource>('resources', `${apiId}/`)).map((i) => [i.value.id, i.value]));
  for (const { key, value } of await tx.list<Method>('methods', `${apiId}/`)) {
    const resource = resources.get(key.split('/')[1]!);
    const where = `${resource?.path ?? ''}/${value.httpMethod}`;
    if (Object.values(value.requestModels ?? {}).includes(name)) {
      throw new ConflictException(`Cannot delete model '${name}', is referenced in method request: ${where}`);
    }
    for (const response of Object.values(value.methodResponses ?? {})) {
      if (Object.values(response.responseModels ?? {}).includes(name)) {
        throw new ConflictException(`Cannot delete model '${name}', is referenced in method response: ${where}/${response.statusCode}`);
      }
    }
  }
  for (const other of (await modelsByName(tx, apiId)).values()) {
    if (other.name === name || !other.schema) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(other.schema);
    } catch {
      continue;
    }
    if (refsOf(doc).some((ref) => modelNameOfRef(ref)?.name === name)) {
      throw new ConflictException(`Cannot delete model '${name}', is referenced in model: ${other.name}`);
    }
  }
}

const DeleteModel = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const model = await requireModel(tx, input.restApiId, input.modelName);
    await checkNotReferenced(tx, input.restApiId, model.name);
    await tx.delete('models', modelKey(input.restApiId, model.name));
  });

const GetModelTemplate = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const model = await requireModel(tx, input.restApiId, input.modelName);
    const models = await modelsByName(tx, input.restApiId);
    const parse = (m: Model | undefined) => {
      try {
        return m?.schema ? (JSON.parse(m.schema) as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    };
    const schema = parse(model);
    if (!schema) throw new BadRequestException(`Model ${model.name} has no JSON schema to generate a template from`);
    const value = generateModelTemplate(schema, {
      resolveModel: (name) => parse(models.get(name)),
      modelNameOfRef: (ref) => modelNameOfRef(ref)?.name,
    });
    return { value };
  });

export const handlers: HandlerTable = { CreateModel, GetModel, GetModels, UpdateModel, DeleteModel, GetModelTemplate };
