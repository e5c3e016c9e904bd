// The real `aws` CLI against a running Gatehouse: a given binary (Debian's v2 at /usr/bin/aws, or whatever `aws` is
// on PATH), chosen credentials, an empty HOME (no user config), no retries, JSON output.
import { execFile } from 'node:child_process';
import { TEST_CREDENTIALS } from './gatehouse.ts';
import { tempDataDir } from './temp.ts';

export const AWS_V2 = '/usr/bin/aws';

export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, undefined when empty or not JSON. */
  json: any;
}

export function runAws(
  opts: { endpoint: string; binary?: string; home?: string; credentials?: CliCredentials },
  ...args: string[]
): Promise<CliResult> {
  const credentials: CliCredentials = opts.credentials ?? TEST_CREDENTIALS;
  return new Promise((resolve) => {
    execFile(
      opts.binary ?? AWS_V2,
      [...args, '--endpoint-url', opts.endpoint, '--region', 'us-east-1', '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: opts.home ?? tempDataDir(),
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr: stderr.trim(), json });
      },
    );
  });
}
