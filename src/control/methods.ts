// Methods and method responses. A method is stored with its method responses and integration embedded, as
// GetMethod returns it. Texts and shapes follow AWS responses recorded in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayApiMethod,
// TestApigatewayMethodResponse) and https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html.
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Authorizer, Method, MethodResponse } from '../store/entities.ts';
import { type ParsedPatch, parsePatchOperations, requireOp } from './patch.ts';
import { requireResource } from './resources-tree.ts';
import { HTTP_METHODS, INVALID_RESPONSE_STATUS, methodKey, presentMethod, pruneEmptyMaps, requireMethod } from './methods-store.ts';

const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const INVALID_AUTHORIZER =
  'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.';
const REQUEST_PARAMETER = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/;
const RESPONSE_PARAMETER = /^method\.response\.header\.(.+)$/;

function mappingError(detail: string): BadRequestException {
  return new BadRequestException(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`);
}

/** Method request parameters: AWS's location prefixes, and one name per parameter across locations. */
function validateRequestParameters(params: Record<string, boolean> | undefined): void {
  if (!params) return;
  const names = new Set<string>();
  for (const key of Object.keys(params)) {
    const m = REQUEST_PARAMETER.exec(key);
    // Recorded: put-method-request-param-wrong-type (a key `true`) in localstack's test_apigateway_api.snapshot.json.
    if (!m) throw mappingError(`Invalid mapping expression specified: ${key}`);
    names.add(m[2]!);
  }
  if (names.size !== Object.keys(params).length) {
    throw new BadRequestException('Parameter names must be unique across querystring, header and path');
  }
}

function validateResponseParameters(params: Record<string, boolean> | undefined): void {
  for (const key of Object.keys(params ?? {})) {
    if (!RESPONSE_PARAMETER.test(key)) throw mappingError(`Invalid mapping expression specified: ${key}`);
  }
}

async function checkModels(tx: Tx, apiId: string, models: Record<string, string> | undefined): Promise<void> {
  for (const name of Object.values(models ?? {})) {
    if (!(await tx.get('models', `${apiId}/${name}`))) throw new BadRequestException(`Invalid model identifier specified: ${name}`);
  }
}

async function checkValidator(tx: Tx, apiId: string, validatorId: string | undefined): Promise<void> {
  if (validatorId && !(await tx.get('requestvalidators', `${apiId}/${validatorId}`))) {
    throw new BadRequestException('Invalid Request Validator identifier specified');
  }
}

/** CUSTOM needs a Lambda (TOKEN/REQUEST) authorizer and COGNITO_USER_POOLS a Cognito one, of this API. */
async function checkAuthorization(tx: Tx, apiId: string, type: string, authorizerId: string | undefined): Promise<void> {
  if (!AUTHORIZATION_TYPES.includes(type)) {
    throw new BadRequestException(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`);
  }
  if (type !== 'CUSTOM' && type !== 'COGNITO_USER_POOLS') return;
  const authorizer = authorizerId ? await tx.get<Authorizer>('authorizers', `${apiId}/${authorizerId}`) : undefined;
  const cognito = authorizer?.type === 'COGNITO_USER_POOLS';
  if (!authorizer || cognito !== (type === 'COGNITO_USER_POOLS')) throw new BadRequestException(INVALID_AUTHORIZER);
}

const PutMethod = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const resource = await requireResource(tx, apiId, input.resourceId);
    const httpMethod: string = input.httpMethod;
    if (!(HTTP_METHODS as readonly string[]).includes(httpMethod)) {
      throw new BadRequestException(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
    }
    const key = methodKey(apiId, resource.id, httpMethod);
    if (await tx.get('methods', key)) throw new ConflictException('Method already exists for this resource');
    // AWS stores the authorization type upper-cased ('none' reads back as NONE).
    const authorizationType = String(input.authorizationType).toUpperCase();
    await checkAuthorization(tx, apiId, authorizationType, input.authorizerId);
    validateRequestParameters(input.requestParameters);
    await checkModels(tx, apiId, input.requestModels);
    await checkValidator(tx, apiId, input.requestValidatorId);

    const method: Method = { httpMethod, authorizationType, apiKeyRequired: input.apiKeyRequired ?? false };
    if (input.authorizerId && (authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS')) {
      method.authorizerId = input.authorizerId;
    }
    if (input.requestValidatorId) method.requestValidatorId = input.requestValidatorId;
    if (input.operationName !== undefined) method.operationName = input.operationName;
    if (input.requestParameters && Object.keys(input.requestParameters).length) method.requestParameters = { ...input.requestParameters };
    if (input.requestModels && Object.keys(input.requestModels).length) method.requestModels = { ...input.requestModels };
    if (input.authorizationScopes?.length) method.authorizationScopes = [...input.authorizationScopes];
    await tx.put('methods', key, method);
    return presentMethod(method);
  });

const GetMethod = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => presentMethod((await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod)).method));

/** UpdateMethod's paths and the ops each accepts (AWS patch-operations reference). */
const METHOD_PATCH_OPS: Record<string, readonly string[]> = {
  authorizationType: ['replace'],
  authorizerId: ['replace'],
  apiKeyRequired: ['replace'],
  operationName: ['replace'],
  requestValidatorId: ['replace'],
  authorizationScopes: ['add', 'remove'],
  requestParameters: ['add', 'remove', 'replace'],
  requestModels: ['add', 'remove', 'replace'],
};
const KEYED = new Set(['requestParameters', 'requestModels']);

/** AWS's loose booleans in patch values: "true" (any case) is true, anything else false. */
const looseBoolean = (p: ParsedPatch): boolean => (p.value ?? '').toLowerCase() === 'true';

const UpdateMethod = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const { method: stored, key } = await requireMethod(tx, apiId, input.resourceId, input.httpMethod);
    const method: Method = structuredClone(stored);
    let authorizerPatched = false;
    for (const p of parsePatchOperations(input.patchOperations)) {
      const [field, name, ...extra] = p.segments;
      const ops = field !== undefined ? METHOD_PATCH_OPS[field] : undefined;
      if (!ops || extra.length || KEYED.has(field!) !== (name !== undefined) || name === '') {
        throw new BadRequestException(`Invalid patch path ${p.path}`);
      }
      requireOp(p, ops);
      switch (field) {
        case 'authorizationType':
          method.authorizationType = p.value ?? '';
          break;
        case 'authorizerId':
          authorizerPatched = true;
          if (p.value) method.authorizerId = p.value;
          else delete method.authorizerId;
          break;
        case 'apiKeyRequired':
          method.apiKeyRequired = looseBoolean(p);
          break;
        case 'operationName':
          if (p.value) method.operationName = p.value;
          else delete method.operationName;
          break;
        case 'requestValidatorId':
          // An empty value detaches the validator.
          if (p.value) {
            await checkValidator(tx, apiId, p.value);
            method.requestValidatorId = p.value;
          } else delete method.requestValidatorId;
          break;
        case 'authorizationScopes': {
          const scopes = (method.authorizationScopes ?? []).filter((s) => s !== p.value);
          if (p.op === 'add' && p.value) scopes.push(p.value);
          method.authorizationScopes = scopes;
          break;
        }
        case 'requestParameters': {
          const params = { ...(method.requestParameters ?? {}) };
          if (p.op === 'remove') delete params[name!];
          else {
            validateRequestParameters({ ...params, [name!]: true });
            params[name!] = looseBoolean(p);
          }
          method.requestParameters = params;
          break;
        }
        case 'requestModels': {
          const models = { ...(method.requestModels ?? {}) };
          if (p.op === 'remove') delete models[name!];
          else {
            await checkModels(tx, apiId, { [name!]: p.value ?? '' });
            models[name!] = p.value ?? '';
          }
          method.requestModels = models;
          break;
        }
      }
    }
    const type = method.authorizationType ?? 'NONE';
    if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
      await checkAuthorization(tx, apiId, type, method.authorizerId);
    } else {
      await checkAuthorization(tx, apiId, type, undefined);
      // AWS keeps no authorizer on a method that does not use one, and ignores an authorizerId patched onto it.
      if (authorizerPatched || method.authorizerId) delete method.authorizerId;
    }
    if (!method.authorizationScopes?.length) delete method.authorizationScopes;
    pruneEmptyMaps(method, ['requestParameters', 'requestModels']);
    await tx.put('methods', key, method);
    return presentMethod(method);
  });

const DeleteMethod = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { key } = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    await tx.delete('methods', key);
  });

// ---- method responses ----

function requireMethodResponse(method: Method, statusCode: string): MethodResponse {
  const response = method.methodResponses?.[statusCode];
  if (!response) throw new NotFoundException(INVALID_RESPONSE_STATUS);
  return response;
}

const PutMethodResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const { method, key } = await requireMethod(tx, apiId, input.resourceId, input.httpMethod);
    validateResponseParameters(input.responseParameters);
    await checkModels(tx, apiId, input.responseModels);
    const response: MethodResponse = { statusCode: input.statusCode };
    if (input.responseParameters) response.responseParameters = { ...input.responseParameters };
    if (input.responseModels) response.responseModels = { ...input.responseModels };
    method.methodResponses = { ...(method.methodResponses ?? {}), [response.statusCode]: response };
    await tx.put('methods', key, method);
    return structuredClone(response);
  });

const GetMethodResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const { method } = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    return structuredClone(requireMethodResponse(method, input.statusCode));
  });

const UpdateMethodResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const { method, key } = await requireMethod(tx, apiId, input.resourceId, input.httpMethod);
    const response = structuredClone(requireMethodResponse(method, input.statusCode));
    for (const p of parsePatchOperations(input.patchOperations)) {
      const [field, name, ...extra] = p.segments;
      if ((field !== 'responseParameters' && field !== 'responseModels') || !name || extra.length) {
        throw new BadRequestException(`Invalid patch path ${p.path}`);
      }
      if (!['add', 'remove', 'replace'].includes(p.op)) {
        throw new BadRequestException('Invalid patch operation specified. Must be one of: [add, remove, replace]');
      }
      if (field === 'responseParameters') {
        const params = { ...(response.responseParameters ?? {}) };
        if (p.op !== 'add' && !(name in params)) throw new NotFoundException('Invalid parameter name specified');
        if (p.op === 'remove') delete params[name];
        else {
          validateResponseParameters({ [name]: true });
          params[name] = looseBoolean(p);
        }
        response.responseParameters = params;
      } else {
        const models = { ...(response.responseModels ?? {}) };
        if (p.op !== 'add' && !(name in models)) throw new NotFoundException('Content-Type specified was not found');
        if (p.op === 'remove') delete models[name];
        else {
          await checkModels(tx, apiId, { [name]: p.value ?? '' });
          models[name] = p.value ?? '';
        }
        response.responseModels = models;
      }
    }
    pruneEmptyMaps(response, ['responseParameters', 'responseModels']);
    method.methodResponses = { ...(method.methodResponses ?? {}), [response.statusCode]: response };
    await tx.put('methods', key, method);
    return structuredClone(response);
  });

const DeleteMethodResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { method, key } = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    requireMethodResponse(method, input.statusCode);
    delete method.methodResponses![input.statusCode];
    if (!Object.keys(method.methodResponses!).length) delete method.methodResponses;
    await tx.put('methods', key, method);
  });

export const handlers: HandlerTable = {
  PutMethod,
  GetMethod,
  UpdateMethod,
  DeleteMethod,
  PutMethodResponse,
  GetMethodResponse,
  UpdateMethodResponse,
  DeleteMethodResponse,
};
