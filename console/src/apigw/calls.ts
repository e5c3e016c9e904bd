// API Gateway calls the console's pages share: whole listings (every page of GetX), the invoke URL, patch operations.
import {
  APIGatewayClient,
  GetDeploymentsCommand,
  GetModelCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  type Deployment,
  type PatchOperation,
  type Resource,
  type RestApi,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import { awsClient, region } from '../aws.ts';
import { everyItem } from '../ui/paging.ts';

export const apigw = (): APIGatewayClient => awsClient(APIGatewayClient);

export function allApis(): Promise<RestApi[]> {
  return everyItem((position) => apigw().send(new GetRestApisCommand({ limit: 500, position })));
}

export function getApi(restApiId: string): Promise<RestApi> {
  return apigw().send(new GetRestApiCommand({ restApiId }));
}

/** Every resource of an API with its methods, sorted by path (the tree's order). */
export async function allResources(restApiId: string): Promise<Resource[]> {
  const out = await everyItem((position) => apigw().send(new GetResourcesCommand({ restApiId, limit: 500, position, embed: ['methods'] })));
  return out.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''));
}

export async function allStages(restApiId: string): Promise<Stage[]> {
  const page = await apigw().send(new GetStagesCommand({ restApiId }));
  return (page.item ?? []).sort((a, b) => (a.stageName ?? '').localeCompare(b.stageName ?? ''));
}

export async function allDeployments(restApiId: string): Promise<Deployment[]> {
  const out = await everyItem((position) => apigw().send(new GetDeploymentsCommand({ restApiId, limit: 500, position })));
  return out.sort((a, b) => (b.createdDate?.getTime() ?? 0) - (a.createdDate?.getTime() ?? 0));
}

/**
 * A stage's invoke URL on this Gatehouse: the path-style form every client can reach
 * (`{origin}/restapis/{id}/{stage}/_user_request_/`). The AWS-style host `{id}.execute-api.localhost` works too where
 * `*.localhost` resolves to loopback (browsers do; `hostStyleUrl`).
 */
export function invokeUrl(restApiId: string, stage: string): string {
  return `${window.location.origin}/restapis/${restApiId}/${encodeURIComponent(stage)}/_user_request_/`;
}

export function hostStyleUrl(restApiId: string, stage: string): string {
  const { protocol, port } = window.location;
  return `${protocol}//${restApiId}.execute-api.localhost${port ? `:${port}` : ''}/${encodeURIComponent(stage)}/`;
}

/** A JSON Patch path segment (RFC 6901, as API Gateway reads them: `~1` for `/`). */
export function pointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Patch operations that take `before` to `after` for flat string maps under `base` (headers, stage variables…). */
export function mapPatch(base: string, before: Record<string, string> | undefined, after: Record<string, string>): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const old = before ?? {};
  for (const k of Object.keys(old)) if (!(k in after)) ops.push({ op: 'remove', path: `${base}/${pointer(k)}` });
  for (const [k, v] of Object.entries(after)) if (old[k] !== v) ops.push({ op: old[k] === undefined ? 'add' : 'replace', path: `${base}/${pointer(k)}`, value: v });
  return ops;
}

/** A `replace` when the value changed (undefined / '' removes nothing: API Gateway replaces with an empty value). */
export function replaceIfChanged(path: string, before: string | undefined, after: string): PatchOperation[] {
  return (before ?? '') === after ? [] : [{ op: 'replace', path, value: after }];
}

/**
 * The response models the API Gateway console gives a new method response: `application/json` → `Empty` when the API
 * has that model (CreateRestApi makes it; imported APIs may lack it, and a missing model is refused).
 */
export async function emptyResponseModels(restApiId: string): Promise<Record<string, string> | undefined> {
  try {
    await apigw().send(new GetModelCommand({ restApiId, modelName: 'Empty' }));
    return { 'application/json': 'Empty' };
  } catch (err) {
    if ((err as Error).name === 'NotFoundException') return undefined;
    throw err;
  }
}

/** The account id, read from an ARN Gatehouse gave (a function's, a stage's). */
export function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

export { region };
