// Shared by the functions tests: zips built in memory, and a function created from handler source in one call.
import { zipSync, type Zippable } from 'fflate';
import { CreateFunctionCommand, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';

export const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';

/** A zip of the given files; `executable` files get mode 0755 (Unix attributes, as `zip` writes them). */
export function zipOf(files: Record<string, string>, executable: string[] = []): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(files)) {
    const mode = executable.includes(path) ? 0o100755 : 0o100644;
    entries[path] = [new TextEncoder().encode(text), { os: 3, attrs: mode << 16 }];
  }
  return zipSync(entries);
}

export interface FnOptions {
  runtime?: Runtime | string;
  handler?: string;
  timeout?: number;
  memory?: number;
  env?: Record<string, string>;
  publish?: boolean;
}

export async function createFunction(lambda: LambdaClient, name: string, files: Record<string, string>, o: FnOptions = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (o.runtime ?? 'nodejs22.x') as Runtime,
      Role: ROLE,
      Handler: o.handler ?? 'index.handler',
      Code: { ZipFile: zipOf(files) },
      Timeout: o.timeout,
      MemorySize: o.memory,
      Environment: o.env ? { Variables: o.env } : undefined,
      Publish: o.publish,
    }),
  );
}

export const decode = (p: Uint8Array | undefined): string => Buffer.from(p ?? []).toString('utf8');
export const json = (p: Uint8Array | undefined): any => JSON.parse(decode(p));
export const logOf = (logResult: string | undefined): string => Buffer.from(logResult ?? '', 'base64').toString('utf8');
