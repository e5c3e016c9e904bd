// Helpers for the REST API family tests (restapis, resources, methods, integrations, models, validators,
// authorizers, gateway responses): AWS error assertions and a fresh API to work in.
import assert from 'node:assert/strict';
import { type APIGatewayClient, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';

/** Asserts the SDK call fails with the AWS error `name`, `message` and HTTP `status`. */
export async function rejectsWith(call: Promise<unknown>, name: string, message: string | RegExp, status: number): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.equal(e.name, name, `error name (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
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
