// Assertions on AWS errors as the SDKs surface them: error name (x-amzn-ErrorType), message and HTTP status.
import assert from 'node:assert/strict';

/** Asserts the SDK call fails with the AWS error `name`, HTTP `status` and `message` (exact text or pattern). */
export async function rejects(call: Promise<unknown>, name: string, status: number, message: string | RegExp): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.equal(e.name, name, `error name (message: ${e.message})`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}
