// IAM / STS test helpers: SDK clients for a running Gatehouse, the real `aws` CLI v2 with chosen credentials, and
// raw awsQuery requests (form body, SigV4 shape) for asserting the exact XML on the wire.
import assert from 'node:assert/strict';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { TEST_CREDENTIALS, sigv4Headers } from '../helpers/gatehouse.ts';

export type { CliResult };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function identityClients(endpoint: string, credentials: Credentials = TEST_CREDENTIALS) {
  const common = { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  return { iam: new IAMClient(common), sts: new STSClient(common) };
}


/** Runs /usr/bin/aws (v2) against `endpoint` with the given credentials and an empty HOME. */
export function awsCli(endpoint: string, home: string, credentials: Credentials, ...args: string[]): Promise<CliResult> {
  return runAws({ endpoint, home, credentials }, ...args);
}

/** Asserts the CLI failed with AWS error `code` and exactly `message`. */
export function cliFailed(r: CliResult, operation: string, code: string, message: string): void {
  assert.notEqual(r.code, 0, 'the command should fail');
  // With AWS_MAX_ATTEMPTS=1 the CLI v2 (standard retry mode) adds "(reached max retries: 0)" to every error.
  assert.equal(r.stderr.replace(/ \(reached max retries: \d+\)/, ''), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
}

/** A raw awsQuery POST (form body) with a SigV4-shaped, unverified Authorization header. */
export async function queryRequest(endpoint: string, service: 'iam' | 'sts', form: Record<string, string>): Promise<{ status: number; contentType: string | null; body: string }> {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { ...sigv4Headers(service), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

/** The body with its request ids replaced by `RID` (they are random). */
export const withoutRequestIds = (xml: string) => xml.replace(/<RequestId>[^<]+<\/RequestId>/g, '<RequestId>RID</RequestId>');
