// Authorizers: Lambda TOKEN / REQUEST authorizers and Cognito user pool authorizers of a REST API, stored and
// validated here (they run in the data plane). Rules from the CreateAuthorizer reference
// (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html): a TOKEN authorizer reads one
// header (`method.request.header.X`), a REQUEST authorizer a comma-separated list of header, query string, stage
// variable and context sources, Lambda authorizers need an authorizerUri, Cognito ones providerARNs; the result TTL
// is 0..3600 seconds, 300 by default. Recorded texts: localstack's test_apigateway_api.snapshot.json
// (test_authorizer_crud_no_api) and the token source text quoted in serverless/serverless#4428.
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { BadRequestException, ConflictException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { Authorizer } from '../store/entities.ts';
import { methodUsages } from './methods-store.ts';
import { requireRestApi } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { parsePatchOperations } from './patch.ts';

const INVALID_AUTHORIZER = 'Invalid Authorizer identifier specified';
const DEFAULT_TTL = 300;

/**
 * The result TTL an authorizer runs with. AWS stores no TTL unless one is given (the member is absent from its
 * answers, as in the COGNITO_USER_POOLS create-authorizer output of the AWS CLI reference and authorizers created by
 * CloudFormation without one) and then caches for the documented default of 300 seconds.
 */
export function effectiveAuthorizerTtl(a: Authorizer): number {
  return a.authorizerResultTtlInSeconds ?? DEFAULT_TTL;
}

/**
 * AWS fills `authType` when the caller leaves it out: "custom" for Lambda (TOKEN, REQUEST) authorizers and
 * "cognito_user_pools" for Cognito ones (create-authorizer examples of the AWS CLI reference,
 * awscli/examples/apigateway/create-authorizer.rst: none of the commands passes --auth-type).
 */
function defaultAuthType(type: string | undefined): string | undefined {
  if (type === 'TOKEN' || type === 'REQUEST') return 'custom';
  if (type === 'COGNITO_USER_POOLS') return 'cognito_user_pools';
  return undefined;
}
const key = (apiId: string, id: string) => `${apiId}/${id}`;

const TOKEN_SOURCE = /^method\.request\.header\.[a-zA-Z0-9._-]+$/;
const REQUEST_SOURCE = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;
// The region must be a region name: AWS refused `arn:aws:apigateway:region:lambda:...` (quoted in
// hashicorp/terraform-provider-aws#1757).
const LAMBDA_URI = /^arn:aws[a-z-]*:apigateway:[a-z]{2}(?:-[a-z]+)+-\d+:lambda:path\/2015-03-31\/functions\/.+\/invocations$/;
// The pool may be named by a stage variable, as the developer guide's "Integrate a REST API with an Amazon Cognito
// user pool" shows: arn:aws:cognito-idp:us-east-2:111122223333:userpool/${stageVariables.MyUserPool}.
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/(?:[A-Za-z0-9_-]+|\$\{stageVariables\.[A-Za-z0-9_]+\})$/;

/** Checks an authorizer as a whole, after Create or after an Update's patch. */
function validateAuthorizer(a: Authorizer): void {
  if (!a.name) throw new BadRequestException('Authorizer name must be non-empty');
  const ttl = effectiveAuthorizerTtl(a);
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    throw new BadRequestException(`Invalid authorizer TTL specified: ${ttl}. It must be between 0 and 3600 seconds`);
  }
  if (a.type === 'TOKEN' || a.type === 'REQUEST') {
    if (!a.authorizerUri) throw new BadRequestException(`Authorizer URI must be specified for ${a.type} authorizers`);
    if (!LAMBDA_URI.test(a.authorizerUri)) {
      // AWS's text, quoted in hashicorp/terraform-provider-aws#1757.
      throw new BadRequestException(
        `Invalid Authorizer URI: ${a.authorizerUri}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`,
      );
    }
    if (a.providerARNs?.length) throw new BadRequestException(`Provider ARNs cannot be specified for ${a.type} authorizers`);
  }
  if (a.type === 'TOKEN' || a.type === 'COGNITO_USER_POOLS') {
    const source = a.identitySource;
    if (!source || !TOKEN_SOURCE.test(source)) {
      throw new BadRequestException(
        `Invalid token source expression: ${source ?? 'null'}. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.`,
      );
    }
    // identityValidationExpression is a Java regular expression, compiled by the data plane with Java semantics.
  }
  if (a.type === 'REQUEST') {
    const sources = (a.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const s of sources) {
      if (!REQUEST_SOURCE.test(s)) throw new BadRequestException(`Invalid identity source expression specified: ${s}`);
    }
    if (!sources.length && ttl > 0) {
      // API Gateway's text for the same rule on HTTP API authorizers (quoted in hashicorp/terraform-provider-aws#32629);
      // no REST-API-specific wording was found.
      throw new BadRequestException('Identity source must be set if authorizer caching is enabled (TTL is greater than 0)');
    }
  }
  if (a.type === 'COGNITO_USER_POOLS') {
    if (!a.providerARNs?.length) throw new BadRequestException('Provider ARNs must be specified for COGNITO_USER_POOLS authorizers');
    for (const arn of a.providerARNs) {
      if (!USER_POOL_ARN.test(arn)) throw new BadRequestException(`Invalid Cognito user pool ARN specified: ${arn}`);
    }
  }
}

/**
 * Authorizer names are unique per API. AWS's text, as quoted in aws/aws-cdk#13711 and #20170 (the status was not
 * quoted; a 400 BadRequestException is assumed).
 */
async function checkNameFree(tx: Tx, apiId: string, a: Authorizer): Promise<void> {
  const all = await tx.list<Authorizer>('authorizers', `${apiId}/`);
  if (all.some((i) => i.value.name === a.name && i.value.id !== a.id)) {
    throw new BadRequestException(`Authorizer name must be unique. Authorizer ${a.name} already exists in this RestApi.`);
  }
}

export async function requireAuthorizer(tx: Tx, apiId: string, id: string): Promise<Authorizer> {
  const authorizer = await tx.get<Authorizer>('authorizers', key(apiId, id));
  if (!authorizer) throw new NotFoundException(INVALID_AUTHORIZER);
  return authorizer;
}

const FIELDS = ['providerARNs', 'authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression'] as const;

const CreateAuthorizer = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    if (!(await tx.get('restapis', apiId))) {
      // What AWS answers for an unknown API here (recorded: wrong-rest-api-id-create-authorizer).
      throw new ConflictException('Unable to complete operation due to concurrent modification. Please try again later.');
    }
    const authorizer: Authorizer = { id: newId(6), name: input.name, type: input.type };
    for (const f of FIELDS) if (input[f] !== undefined) (authorizer as unknown as Record<string, unknown>)[f] = structuredClone(input[f]);
    authorizer.authType ??= defaultAuthType(authorizer.type);
    if (authorizer.authType === undefined) delete authorizer.authType;
    if (input.authorizerResultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = input.authorizerResultTtlInSeconds;
    validateAuthorizer(authorizer);
    await checkNameFree(tx, apiId, authorizer);
    await tx.put('authorizers', key(apiId, authorizer.id), authorizer);
    return structuredClone(authorizer);
  });

const GetAuthorizer = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => structuredClone(await requireAuthorizer(tx, input.restApiId, input.authorizerId)));

const GetAuthorizers = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    const all = (await tx.list<Authorizer>('authorizers', `${input.restApiId}/`)).map((i) => i.value);
    const page = paginate(all, input);
    return { items: page.items, ...(page.position ? { position: page.position } : {}) };
  });

const SCALAR_PATHS = ['name', 'type', 'authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression'];

const UpdateAuthorizer = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const authorizer = structuredClone(await requireAuthorizer(tx, apiId, input.authorizerId));
    const fields = authorizer as unknown as Record<string, unknown>;
    for (const p of parsePatchOperations(input.patchOperations)) {
      const [field, ...rest] = p.segments;
      if (SCALAR_PATHS.includes(field!) && !rest.length) {
        if (p.op !== 'replace') throw new BadRequestException('Invalid patch operation specified. Must be one of: [replace]');
        if (p.value === undefined || p.value === '') delete fields[field!];
        else fields[field!] = p.value;
      } else if (field === 'authorizerResultTtlInSeconds' && !rest.length) {
        if (p.op !== 'replace') throw new BadRequestException('Invalid patch operation specified. Must be one of: [replace]');
        const v = p.value ?? '';
        if (!/^-?\d+$/.test(v)) {
          throw new BadRequestException(`Invalid authorizer TTL specified: ${v}. It must be between 0 and 3600 seconds`);
        }
        authorizer.authorizerResultTtlInSeconds = Number(v);
      } else if (field === 'providerARNs' && rest.length <= 1) {
        // `/providerARNs` with the ARN as value (add, remove) or replace of the whole list (comma-separated).
        if (!['add', 'remove', 'replace'].includes(p.op)) {
          throw new BadRequestException('Invalid patch operation specified. Must be one of: [add, remove, replace]');
        }
        const value = p.value ?? rest[0] ?? '';
        let arns = [...(authorizer.providerARNs ?? [])];
        if (p.op === 'add') arns.push(...value.split(',').map((s) => s.trim()).filter((s) => s && !arns.includes(s)));
        else if (p.op === 'remove') arns = arns.filter((a) => a !== value);
        else arns = value.split(',').map((s) => s.trim()).filter(Boolean);
        authorizer.providerARNs = arns;
      } else {
        throw new BadRequestException(`Invalid patch path ${p.path}`);
      }
    }
    if (authorizer.type !== 'TOKEN' && authorizer.type !== 'REQUEST' && authorizer.type !== 'COGNITO_USER_POOLS') {
      throw new BadRequestException(`Invalid authorizer type specified: ${authorizer.type}. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS`);
    }
    if (!authorizer.providerARNs?.length) delete authorizer.providerARNs;
    validateAuthorizer(authorizer);
    await checkNameFree(tx, apiId, authorizer);
    await tx.put('authorizers', key(apiId, authorizer.id), authorizer);
    return structuredClone(authorizer);
  });

const DeleteAuthorizer = (input: OperationInput, ctx: OperationContext) =>
  ctx.db.write(async (tx) => {
    const apiId: string = input.restApiId;
    const authorizer = await requireAuthorizer(tx, apiId, input.authorizerId);
    const used = await methodUsages(tx, apiId, (m) => m.authorizerId === authorizer.id);
    if (used.length) throw new ConflictException(`Cannot delete authorizer '${authorizer.name}', is referenced in method: ${used[0]}`);
    await tx.delete('authorizers', key(apiId, authorizer.id));
  });

export const handlers: HandlerTable = { CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer };
