// Request validators: named switches (validate body, validate parameters) that methods point at by id. Texts follow
// AWS responses recorded in localstack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json
// (TestApiGatewayApiRequestValidator).
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Method, RequestValidator } from '../store/entities.ts';
import { requireRestApi } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { parsePatchOperations, requireReplaceOf } from './patch.ts';
import { methodUsages } from './methods-store.ts';

const INVALID_VALIDATOR = 'Invalid Request Validator identifier specified';
// AWS refuses a second validator with the same name in one API; the text is the error CloudFormation surfaced from
// API Gateway in serverless/serverless#10099 (its status was not quoted: a 400 BadRequestException is assumed).
const DUPLICATE_NAME = 'Request Validator name must be unique';

async function checkNameFree(tx: Tx, apiId: string, name: string | undefined, selfId?: string): Promise<void> {
  if (name === undefined) return;
  const all = await tx.list<RequestValidator>('requestvalidators', `${apiId}/`);
  if (all.some((i) => i.value.name === name && i.value.id !== selfId)) throw new BadRequestException(DUPLICATE_NAME);
}
const key = (apiId: string, id: string) => `${apiId}/${id}`;

async function requireValidator(tx: Tx, apiId: string, id: string): Promise<RequestValidator> {
  const validator = await tx.get<RequestValidator>('requestvalidators', key(apiId, id));
  if (!validator) throw new NotFoundException(INVALID_VALIDATOR);
  return validator;
}

const CreateRequestValidator = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    // AWS answers a 400 here, not the usual 404 for an unknown API (recorded).
    if (!(await tx.get('restapis', apiId))) throw new BadRequestException('Invalid REST API identifier specified');
    const validator: RequestValidator = {
      id: newId(6),
      validateRequestBody: input.validateRequestBody ?? false,
      validateRequestParameters: input.validateRequestParameters ?? false,
    };
    if (input.name !== undefined) validator.name = input.name;
    await checkNameFree(tx, apiId, validator.name);
    await tx.put('requestvalidators', key(apiId, validator.id), validator);
    return { ...validator };
  });

const GetRequestValidator = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => ({ ...(await requireValidator(tx, input.restApiId, input.requestValidatorId)) }));

const GetRequestValidators = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const all = (await tx.list<RequestValidator>('requestvalidators', `${input.restApiId}/`)).map((i) => i.value);
    const page = paginate(all, input);
    return { items: page.items, ...(page.position ? { position: page.position } : {}) };
  });

const UPDATE_PATHS = ['/name', '/validateRequestParameters', '/validateRequestBody'];

const UpdateRequestValidator = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const validator = { ...(await requireValidator(tx, apiId, input.requestValidatorId)) };
    for (const p of parsePatchOperations(input.patchOperations)) {
      requireReplaceOf(p, UPDATE_PATHS);
      if (p.path === '/name') {
        if (!p.value) throw new BadRequestException('Request Validator name cannot be blank');
        await checkNameFree(tx, apiId, p.value, validator.id);
        validator.name = p.value;
      } else {
        // AWS reads any value but "true" (and a missing value) as false (recorded: update-request-validator-without-value).
        const on = (p.value ?? '').toLowerCase() === 'true';
        if (p.path === '/validateRequestBody') validator.validateRequestBody = on;
        else validator.validateRequestParameters = on;
      }
    }
    await tx.put('requestvalidators', key(apiId, validator.id), validator);
    return validator;
  });

const DeleteRequestValidator = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const validator = await requireValidator(tx, apiId, input.requestValidatorId);
    const used = await methodUsages(tx, apiId, (m: Method) => m.requestValidatorId === validator.id);
    if (used.length) {
      throw new ConflictException(`Cannot delete request validator '${validator.id}', is referenced in method: ${used[0]}`);
    }
    await tx.delete('requestvalidators', key(apiId, validator.id));
  });

export const handlers: HandlerTable = {
  CreateRequestValidator,
  GetRequestValidator,
  GetRequestValidators,
  UpdateRequestValidator,
  DeleteRequestValidator,
};
