// Gateway responses: per-API overrides of the responses API Gateway itself produces (403 missing token, 429
// throttled, ...). Only what the user put is stored; Get and GetGatewayResponses merge it with the defaults
// (gateway-responses-defaults.ts). Texts from AWS responses recorded in localstack's
// tests/aws/services/apigateway/test_apigateway_api.snapshot.json (TestApiGatewayGatewayResponse).
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { GatewayResponse } from '../store/entities.ts';
import { requireRestApi } from './common.ts';
import { paginate } from './pagination.ts';
import { decodePointerSegment, type PatchOperation } from './patch.ts';
import {
  DEFAULT_TEMPLATE,
  GATEWAY_RESPONSE_TYPES,
  builtinGatewayResponse,
  effectiveGatewayResponse,
  isGatewayResponseType,
} from './gateway-responses-defaults.ts';

const key = (apiId: string, type: string) => `${apiId}/${type}`;
const RESPONSE_PARAMETER = /^gatewayresponse\.header\.[^\s]+$/;
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+*-]+\/[A-Za-z0-9!#$&^_.+*-]+(?:\s*;.*)?$/;

/** The protocol layer checks the enum; this guards direct callers with AWS's text all the same. */
function checkType(type: string): void {
  if (!isGatewayResponseType(type)) {
    throw new BadRequestException(`Invalid gateway response type specified: ${type}`);
  }
}

async function ownResponses(tx: Tx, apiId: string): Promise<Map<string, GatewayResponse>> {
  return new Map((await tx.list<GatewayResponse>('gatewayresponses', `${apiId}/`)).map((i) => [i.value.responseType, i.value]));
}

function validate(response: GatewayResponse): void {
  for (const name of Object.keys(response.responseParameters ?? {})) {
    if (!RESPONSE_PARAMETER.test(name)) {
      throw new BadRequestException(
        `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${name}]`,
      );
    }
  }
  for (const ct of Object.keys(response.responseTemplates ?? {})) {
    if (!CONTENT_TYPE.test(ct)) throw new BadRequestException(`Validation Result: warnings : [], errors : [Invalid content type specified: ${ct}]`);
  }
}

const PutGatewayResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    await requireRestApi(tx, ctx, apiId);
    checkType(input.responseType);
    const base = builtinGatewayResponse(input.responseType);
    // What is not given keeps the type's default (recorded: put-gateway-response-status-only and friends).
    const response: GatewayResponse = {
      responseType: input.responseType,
      defaultResponse: false,
      responseParameters: { ...(input.responseParameters ?? {}) },
      responseTemplates: input.responseTemplates ? { ...input.responseTemplates } : { 'application/json': DEFAULT_TEMPLATE },
    };
    const status = input.statusCode ?? base.statusCode;
    if (status !== undefined) response.statusCode = status;
    validate(response);
    await tx.put('gatewayresponses', key(apiId, response.responseType), response);
    return structuredClone(response);
  });

const GetGatewayResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    checkType(input.responseType);
    return effectiveGatewayResponse(input.responseType, await ownResponses(tx, input.restApiId));
  });

const GetGatewayResponses = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const own = await ownResponses(tx, input.restApiId);
    const all = GATEWAY_RESPONSE_TYPES.map(([type]) => effectiveGatewayResponse(type, own));
    const page = paginate(all, input);
    return { items: page.items, ...(page.position ? { position: page.position } : {}) };
  });

const MAPS = ['responseParameters', 'responseTemplates'] as const;

const UpdateGatewayResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    await requireRestApi(tx, ctx, apiId);
    checkType(input.responseType);
    // Updating a type never put starts from what is in effect for it, now owned by the API.
    const response = effectiveGatewayResponse(input.responseType, await ownResponses(tx, apiId));
    response.defaultResponse = false;
    for (const o of (input.patchOperations ?? []) as PatchOperation[]) {
      const op = o.op ?? '';
      const path = o.path;
      if (path === undefined || path === null) throw new BadRequestException('Invalid patch path null');
      if (path === '/statusCode') {
        if (op !== 'replace') throw new BadRequestException(`Invalid patch path ${path}`);
        if (!o.value || !/^[1-5]\d\d$/.test(o.value)) throw new BadRequestException(`Invalid status code specified: ${o.value ?? 'null'}`);
        response.statusCode = o.value;
        continue;
      }
      const field = MAPS.find((m) => path.startsWith(`/${m}/`) && path.length > m.length + 2);
      if (!field || !['add', 'replace', 'remove'].includes(op)) throw new BadRequestException(`Invalid patch path ${path}`);
      const name = decodePointerSegment(path.slice(field.length + 2));
      const map = { ...(response[field] ?? {}) };
      if (op === 'replace' && !(name in map)) throw new NotFoundException('Invalid parameter name specified');
      if (op === 'remove') delete map[name];
      else {
        if (o.value === undefined || o.value === null) throw new BadRequestException(`Invalid null or empty value in ${field}`);
        map[name] = o.value;
      }
      response[field] = map;
    }
    validate(response);
    await tx.put('gatewayresponses', key(apiId, response.responseType), response);
    return structuredClone(response);
  });

const DeleteGatewayResponse = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    checkType(input.responseType);
    if (!(await tx.delete('gatewayresponses', key(input.restApiId, input.responseType)))) {
      throw new NotFoundException('Gateway response type not defined on api');
    }
  });

export const handlers: HandlerTable = {
  PutGatewayResponse,
  GetGatewayResponse,
  GetGatewayResponses,
  UpdateGatewayResponse,
  DeleteGatewayResponse,
};
