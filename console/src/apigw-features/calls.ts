// API Gateway calls the API-feature views share (beyond ../apigw/calls.ts): whole listings of account-wide
// resources, and `key: value` lines for map-valued settings.
import { GetApiKeysCommand, GetUsagePlansCommand, type ApiKey, type UsagePlan } from '@aws-sdk/client-api-gateway';
import { allApis, allStages, apigw } from '../apigw/calls.ts';
import { everyItem } from '../ui/paging.ts';

export { apigw };

export function allApiKeys(): Promise<ApiKey[]> {
  return everyItem((position) => apigw().send(new GetApiKeysCommand({ limit: 500, position })));
}

export function allUsagePlans(): Promise<UsagePlan[]> {
  return everyItem((position) => apigw().send(new GetUsagePlansCommand({ limit: 500, position })));
}

/** `apiId:stage` for every stage of every API: what a usage plan or a base path mapping can name. */
export async function allApiStages(): Promise<{ apiId: string; apiName: string; stage: string }[]> {
  const apis = await allApis();
  const stages = await Promise.all(apis.map(async (a) => (await allStages(a.id!)).map((s) => ({ apiId: a.id!, apiName: a.name ?? '', stage: s.stageName! }))));
  return stages.flat();
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
