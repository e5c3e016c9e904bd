// Helpers for the REST API family tests (restapis, resources, methods, integrations, models, validators,
// authorizers, gateway responses): AWS error assertions and a fresh API to work in.
import { rejects } from '../helpers/aws-assert.ts';
import { type APIGatewayClient, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';

/** Asserts the SDK call fails with the AWS error `name`, `message` and HTTP `status` (argument order of these tests). */
export function rejectsWith(call: Promise<unknown>, name: string, message: string | RegExp, status: number): Promise<void> {
  return rejects(call, name, status, message);
}

/** Strips the SDK's `$metadata` so outputs compare with plain objects. */
export function body<T extends object>(out: T): Omit<T, '$metadata'> {
  const { $metadata: _m, ...rest } = out as T & { $metadata?: unknown };
  return rest;
}

export async function newApi(c: APIGatewayClient, name = 'test-api'): Promise<{ id: string; rootId: string }> {
  const api = await c.send(new CreateRestApiCommand({ name }));
  return { id: api.id!, rootId: api.rootResourceId! };
}

export const ACCOUNT = '123456789012';
