// IAM / STS test helpers: SDK clients for a running Gatehouse, the real `aws` CLI v2 with chosen credentials, and
// raw awsQuery requests (form body, SigV4 shape) for asserting the exact XML on the wire.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { TEST_CREDENTIALS, sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { tempDataDir } from '../helpers/temp.ts';

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

/** A Gatehouse under --require-auth, with an IAM client of its bootstrap administrator to make users with. */
export interface RequireAuthServer {
  gh: Running;
  /** Signed by the bootstrap administrator. */
  admin: IAMClient;
  /** An empty HOME for awsCli. */
  home: string;
  /** A new IAM user and an access key of theirs; with `statements`, an inline policy allowing or denying them. */
  userWithKey(name: string, ...statements: object[]): Promise<Credentials>;
  stop(): Promise<void>;
}

export async function startRequiringAuth(): Promise<RequireAuthServer> {
  const gh = await startGatehouse({ config: { requireAuth: true } });
  const b = gh.gatehouse.bootstrap!;
  const admin = identityClients(gh.endpoint, { accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey }).iam;
  const home = tempDataDir();
  return {
    gh,
    admin,
    home,
    async userWithKey(name, ...statements) {
      await admin.send(new CreateUserCommand({ UserName: name }));
      if (statements.length) await admin.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
      const k = (await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    },
    async stop() {
      admin.destroy();
      await gh.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
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
