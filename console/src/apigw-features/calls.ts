// API Gateway calls the API-feature views share: the one client, whole listings, and ARN/JSON helpers.
import { APIGatewayClient, GetApiKeysCommand, GetRestApisCommand, GetStagesCommand, GetUsagePlansCommand, type ApiKey, type RestApi, type UsagePlan } from '@aws-sdk/client-api-gateway';
import { awsClient } from '../aws.ts';
import { everyItem } from '../ui/paging.ts';

export const apigw = (): APIGatewayClient => awsClient(APIGatewayClient);

export function allApiKeys(): Promise<ApiKey[]> {
  return everyItem((position) => apigw().send(new GetApiKeysCommand({ limit: 500, position })));
}

export function allUsagePlans(): Promise<UsagePlan[]> {
  return everyItem((position) => apigw().send(new GetUsagePlansCommand({ limit: 500, position })));
}

export function allRestApis(): Promise<RestApi[]> {
  return everyItem((position) => apigw().send(new GetRestApisCommand({ limit: 500, position })));
}

/** `apiId:stage` for every stage of every API: what a usage plan or a base path mapping can name. */
export async function allApiStages(): Promise<{ apiId: string; apiName: string; stage: string }[]> {
  const apis = await allRestApis();
  const stages = await Promise.all(apis.map(async (a) => ((await apigw().send(new GetStagesCommand({ restApiId: a.id }))).item ?? []).map((s) => ({ apiId: a.id!, apiName: a.name ?? '', stage: s.stageName! }))));
  return stages.flat();
}

/** Text as a JSON object, or the parse error (the client-side check before the server judges the content). */
export function parseJsonObject(text: string): { value?: Record<string, unknown>; error?: string } {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'The JSON must be an object ({ … }).' };
    return { value: value as Record<string, unknown> };
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
}

/** A map's entries as `key: value` lines for a textarea, and back (blank lines ignored). */
export function mapToLines(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
}

export function linesToMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (!line.trim()) continue;
    out[(i === -1 ? line : line.slice(0, i)).trim()] = i === -1 ? '' : line.slice(i + 1).trim();
  }
  return out;
}
