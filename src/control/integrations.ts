// Integrations and integration responses, stored inside their method (`methodIntegration`, with
// `integrationResponses` keyed by status code), as GetMethod returns them. Defaults and texts follow AWS responses
// recorded in localstack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json
// (TestApigatewayIntegration, TestApigatewayIntegrationResponse): passthroughBehavior WHEN_NO_MATCH,
// timeoutInMillis 29000, cacheNamespace = the resource id, cacheKeyParameters [], connectionType INTERNET for HTTP
// integrations. Patch paths: https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html.
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Integration, IntegrationResponse, Method } from '../store/entities.ts';
import { type ParsedPatch, parsePatchOperations } from './patch.ts';
import {
  INVALID_INTEGRATION,
  INVALID_METHOD,
  INVALID_RESPONSE_STATUS,
  presentIntegration,
  presentIntegrationResponse,
  pruneEmptyMaps,
  requireMethod,
  type MethodRef,
} from './methods-store.ts';
import { DEFAULT_TIMEOUT, validateIntegration, validateIntegrationResponse } from './integrations-validate.ts';

function requireIntegration(method: Method): Integration {
  if (!method.methodIntegration) throw new NotFoundException(INVALID_INTEGRATION);
  return method.methodIntegration;
}

async function vpcLinkChecker(tx: Tx): Promise<(id: string) => boolean> {
  const ids = new Set((await tx.list<{ id: string }>('vpclinks')).map((i) => i.value.id));
  return (id) => ids.has(id);
}

/** PutIntegration's and UpdateIntegration's end: validated, set on its method, stored, presented as AWS does. */
async function storeIntegration(tx: Tx, ctx: OperationContext, { method, key }: MethodRef, integration: Integration) {
  validateIntegration(integration, method, await vpcLinkChecker(tx), ctx.accountId);
  method.methodIntegration = integration;
  await tx.put('methods', key, method);
  return presentIntegration(integration);
}

const PutIntegration = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const ref = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    const type: string = input.type;
    const integration: Integration = { type };
    // A MOCK integration calls nothing: AWS keeps neither an HTTP method nor a URI for it (recorded: LocalStack's
    // test_integration_mock_with_path_param sends integrationHttpMethod POST and gets no httpMethod back).
    if (input.integrationHttpMethod !== undefined && type !== 'MOCK') integration.httpMethod = input.integrationHttpMethod;
    if (input.uri !== undefined && type !== 'MOCK') integration.uri = input.uri;
    const connectionType = input.connectionType ?? (type === 'HTTP' || type === 'HTTP_PROXY' ? 'INTERNET' : undefined);
    if (connectionType) integration.connectionType = connectionType;
    for (const f of ['connectionId', 'credentials', 'contentHandling', 'responseTransferMode', 'integrationTarget'] as const) {
      if (input[f] !== undefined) (integration as Record<string, unknown>)[f] = input[f];
    }
    if (input.requestParameters && Object.keys(input.requestParameters).length) integration.requestParameters = { ...input.requestParameters };
    if (input.requestTemplates && Object.keys(input.requestTemplates).length) integration.requestTemplates = { ...input.requestTemplates };
    integration.passthroughBehavior = input.passthroughBehavior ?? 'WHEN_NO_MATCH';
    integration.timeoutInMillis = input.timeoutInMillis ?? DEFAULT_TIMEOUT;
    integration.cacheNamespace = input.cacheNamespace ?? ref.resource.id;
    integration.cacheKeyParameters = [...(input.cacheKeyParameters ?? [])];
    if (input.tlsConfig) integration.tlsConfig = { ...input.tlsConfig };
    return storeIntegration(tx, ctx, ref, integration);
  });

const GetIntegration = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const { method } = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    return presentIntegration(requireIntegration(method));
  });

/** Scalar paths UpdateIntegration replaces, and the keyed maps / lists it edits. */
const SCALAR_PATHS = [
  'httpMethod',
  'uri',
  'connectionType',
  'connectionId',
  'credentials',
  'passthroughBehavior',
  'contentHandling',
  'timeoutInMillis',
  'cacheNamespace',
  'responseTransferMode',
  'integrationTarget',
] as const;

function applyIntegrationPatch(integration: Integration, p: ParsedPatch): void {
  const [field, name, ...extra] = p.segments;
  const fields = integration as Record<string, unknown>;
  if ((SCALAR_PATHS as readonly string[]).includes(field!) && name === undefined) {
    if (p.op !== 'replace' && !(p.op === 'remove' && field !== 'httpMethod' && field !== 'uri')) {
      throw new BadRequestException('Invalid patch operation specified. Must be one of: [replace]');
    }
    if (p.op === 'remove' || p.value === undefined || p.value === '') {
      delete fields[field!];
      if (field === 'timeoutInMillis') integration.timeoutInMillis = DEFAULT_TIMEOUT;
      return;
    }
    if (field === 'timeoutInMillis') {
      if (!/^\d+$/.test(p.value)) throw new BadRequestException('Timeout should be between 50 ms and 29000 ms');
      integration.timeoutInMillis = Number(p.value);
    } else fields[field!] = p.value;
    return;
  }
  if (field === 'tlsConfig' && name === 'insecureSkipVerification' && !extra.length) {
    if (p.op !== 'replace') throw new BadRequestException('Invalid patch operation specified. Must be one of: [replace]');
    integration.tlsConfig = { ...(integration.tlsConfig ?? {}), insecureSkipVerification: (p.value ?? '').toLowerCase() === 'true' };
    return;
  }
  if ((field === 'requestParameters' || field === 'requestTemplates') && name && !extra.length) {
    if (!['add', 'remove', 'replace'].includes(p.op)) {
      throw new BadRequestException('Invalid patch operation specified. Must be one of: [add, remove, replace]');
    }
    const map = { ...((fields[field] as Record<string, string> | undefined) ?? {}) };
    if (p.op === 'remove') delete map[name];
    else map[name] = p.value ?? '';
    fields[field] = map;
    return;
  }
  if (field === 'cacheKeyParameters' && name && !extra.length) {
    if (p.op !== 'add' && p.op !== 'remove') throw new BadRequestException('Invalid patch operation specified. Must be one of: [add, remove]');
    const list = (integration.cacheKeyParameters ?? []).filter((k) => k !== name);
    if (p.op === 'add') list.push(name);
    integration.cacheKeyParameters = list;
    return;
  }
  throw new BadRequestException(`Invalid patch path ${p.path}`);
}

const UpdateIntegration = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const ref = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    const integration = structuredClone(requireIntegration(ref.method));
    for (const p of parsePatchOperations(input.patchOperations)) applyIntegrationPatch(integration, p);
    if (integration.type === 'HTTP' || integration.type === 'HTTP_PROXY') integration.connectionType ??= 'INTERNET';
    pruneEmptyMaps(integration, ['requestParameters', 'requestTemplates']);
    return storeIntegration(tx, ctx, ref, integration);
  });

const DeleteIntegration = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { method, key } = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    requireIntegration(method);
    delete method.methodIntegration;
    await tx.put('methods', key, method);
  });

// ---- integration responses ----

function requireIntegrationResponse(integration: Integration, statusCode: string): IntegrationResponse {
  const response = integration.integrationResponses?.[statusCode];
  if (!response) throw new NotFoundException(INVALID_RESPONSE_STATUS);
  return response;
}

const PutIntegrationResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { method, key } = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
    const integration = requireIntegration(method);
    const response: IntegrationResponse = { statusCode: input.statusCode };
    if (input.selectionPattern !== undefined) response.selectionPattern = input.selectionPattern;
    if (input.responseParameters) response.responseParameters = { ...input.responseParameters };
    // A null template is an empty one, stored as "" and answered as null like "" (see presentIntegrationResponse).
    if (input.responseTemplates) {
      response.responseTemplates = Object.fromEntries(Object.entries(input.responseTemplates as Record<string, string | null>).map(([ct, t]) => [ct, t ?? '']));
    }
    if (input.contentHandling !== undefined) response.contentHandling = input.contentHandling;
    validateIntegrationResponse(response, method);
    integration.integrationResponses = { ...(integration.integrationResponses ?? {}), [response.statusCode]: response };
    await tx.put('methods', key, method);
    return presentIntegrationResponse(response);
  });

/** Get and Update answer "Invalid Method identifier specified" for a missing method (recorded). */
async function requireMethodForResponse(tx: Tx, input: OperationInput) {
  const ref = await requireMethod(tx, input.restApiId, input.resourceId, input.httpMethod);
  return { ...ref, integration: requireIntegration(ref.method) };
}

/** Delete reads a missing method as a missing integration (recorded: non-existent-method, bad-method). */
async function requireIntegrationForDelete(tx: Tx, input: OperationInput) {
  try {
    return await requireMethodForResponse(tx, input);
  } catch (e) {
    if (e instanceof NotFoundException && e.message === INVALID_METHOD) throw new NotFoundException(INVALID_INTEGRATION);
    throw e;
  }
}

const GetIntegrationResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    const { integration } = await requireMethodForResponse(tx, input);
    return presentIntegrationResponse(requireIntegrationResponse(integration, input.statusCode));
  });

const UpdateIntegrationResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { method, key, integration } = await requireMethodForResponse(tx, input);
    const response = structuredClone(requireIntegrationResponse(integration, input.statusCode));
    const fields = response as unknown as Record<string, unknown>;
    for (const p of parsePatchOperations(input.patchOperations)) {
      const [field, name, ...extra] = p.segments;
      if ((field === 'selectionPattern' || field === 'contentHandling') && name === undefined) {
        if (p.op !== 'replace' && p.op !== 'remove') {
          throw new BadRequestException('Invalid patch operation specified. Must be one of: [replace]');
        }
        if (p.op === 'remove' || p.value === undefined) delete fields[field];
        else fields[field] = p.value;
      } else if ((field === 'responseParameters' || field === 'responseTemplates') && name && !extra.length) {
        if (!['add', 'remove', 'replace'].includes(p.op)) {
          throw new BadRequestException('Invalid patch operation specified. Must be one of: [add, remove, replace]');
        }
        const map = { ...((fields[field] as Record<string, string> | undefined) ?? {}) };
        if (p.op === 'remove') delete map[name];
        else map[name] = p.value ?? '';
        fields[field] = map;
      } else {
        throw new BadRequestException(`Invalid patch path ${p.path}`);
      }
    }
    validateIntegrationResponse(response, method);
    integration.integrationResponses = { ...(integration.integrationResponses ?? {}), [response.statusCode]: response };
    await tx.put('methods', key, method);
    return presentIntegrationResponse(response);
  });

const DeleteIntegrationResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const { method, key, integration } = await requireIntegrationForDelete(tx, input);
    requireIntegrationResponse(integration, input.statusCode);
    delete integration.integrationResponses![input.statusCode];
    if (!Object.keys(integration.integrationResponses!).length) delete integration.integrationResponses;
    await tx.put('methods', key, method);
  });

export const handlers: HandlerTable = {
  PutIntegration,
  GetIntegration,
  UpdateIntegration,
  DeleteIntegration,
  PutIntegrationResponse,
  GetIntegrationResponse,
  UpdateIntegrationResponse,
  DeleteIntegrationResponse,
};
