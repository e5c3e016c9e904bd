// Finding an API key by id with AWS's not-found answer, and the public shape of a key (its value only on request).
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { ApiKey } from '../store/entities.ts';
import { withDates } from './common.ts';

export async function requireApiKey(tx: Tx, keyId: string): Promise<ApiKey> {
  const key = await tx.get<ApiKey>('apikeys', keyId);
  if (!key) throw new NotFoundException('Invalid API Key identifier specified');
  return key;
}

/** GetApiKey's output: the value only with includeValue(s)=true, as AWS hides it otherwise. */
export function apiKeyOutput(key: ApiKey, includeValue: boolean): Record<string, unknown> {
  const out = withDates(key) as unknown as Record<string, unknown>;
  if (!includeValue) delete out.value;
  return out;
}

export const MIN_KEY_LENGTH = 20;
export const MAX_KEY_LENGTH = 128;

export function validateKeyValue(value: string): void {
  if (value.length < MIN_KEY_LENGTH) throw new BadRequestException('API Key value should be at least 20 characters');
  if (value.length > MAX_KEY_LENGTH) throw new BadRequestException('API Key value exceeds maximum size of 128 characters');
}

// Recorded limits (LocalStack's AWS-validated test_apigateway_extended.snapshot.json: test_create_api_key_with_invalid_name,
// test_update_api_key_invalid_description_length): a name of 1,025 characters and a description of 125,001 are refused.
export const MAX_NAME_LENGTH = 1024;
export const MAX_DESCRIPTION_LENGTH = 125000;

export function validateKeyName(name: string): void {
  if (name.length > MAX_NAME_LENGTH) throw new BadRequestException('Invalid API Key name, can be at most 1024 characters.');
}

export function validateKeyDescription(description: string): void {
  if (description.length > MAX_DESCRIPTION_LENGTH) throw new BadRequestException('Invalid API Key description specified.');
}

export async function valueInUse(tx: Tx, value: string): Promise<boolean> {
  return (await tx.list<ApiKey>('apikeys')).some((e) => e.value.value === value);
}

