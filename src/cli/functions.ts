// `gatehouse functions`: local development commands for the embedded Lambda.
//   deploy DIR   create or update a function whose code is the directory itself (no zip): Gatehouse watches it and
//                runs the new code on the next invocation, without a restart.
//   logs NAME    print (or follow) a function's log as Gatehouse keeps it.
// Deploy talks to a running Gatehouse over the ordinary Lambda API: the directory is passed as the code location
// S3Bucket "hot-reload" + S3Key "/absolute/dir" (the convention LocalStack uses), so `aws lambda` and Terraform can
// do the same for directories under a `gatehouse serve --hot-reload-root`. Deploy itself first registers the
// directory in the server's data directory (`hot-reload-dirs`), which only someone who can write there can do.
import { existsSync, readFileSync, statSync, watch } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { registerHotReloadDir } from '../functions/hot-reload-roots.ts';
import { FunctionLogs } from '../functions/logs.ts';

export interface DeployOptions {
  dir: string;
  name?: string;
  runtime?: string;
  handler?: string;
  timeout?: number;
  memory?: number;
  env?: Record<string, string>;
  endpoint: string;
  region?: string;
  role?: string;
  /** The server's data directory, where the directory is registered for hot reload (default ./.gatehouse). */
  dataDir?: string;
}

export interface DeployResult {
  created: boolean;
  functionName: string;
  functionArn: string;
  /** The data directory the directory was registered in; undefined when none was found there. */
  registeredIn?: string;
}

/** Creates or updates the function for a local directory through the Lambda API of a running Gatehouse. */
export async function deployDirectory(o: DeployOptions): Promise<DeployResult> {
  const dir = resolve(o.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a directory: ${dir}`);
  const name = o.name ?? basename(dir).replace(/[^a-zA-Z0-9-_]/g, '-');
  const dataDir = resolve(o.dataDir ?? process.env.GATEHOUSE_DATA_DIR ?? './.gatehouse');
  const registeredIn = registerHotReloadDir(dataDir, dir) ? dataDir : undefined;
  const runtime = o.runtime ?? (existsSync(resolve(dir, 'bootstrap')) ? 'provided.al2023' : 'nodejs22.x');
  const sdk = await import('@aws-sdk/client-lambda');
  const client = new sdk.LambdaClient({
    endpoint: o.endpoint,
    region: o.region ?? 'us-east-1',
    maxAttempts: 1,
    // Gatehouse accepts any signature unless access control is configured; real credentials win when present.
    credentials: process.env.AWS_ACCESS_KEY_ID
      ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '', sessionToken: process.env.AWS_SESSION_TOKEN }
      : { accessKeyId: 'gatehouse', secretAccessKey: 'gatehouse' },
  });
  const code = { S3Bucket: 'hot-reload', S3Key: dir };
  const settings = {
    Runtime: runtime as never,
    Handler: o.handler ?? 'index.handler',
    Timeout: o.timeout,
    MemorySize: o.memory,
    Environment: o.env ? { Variables: o.env } : undefined,
  };
  try {
    let exists = true;
    try {
      await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: name }));
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
      exists = false;
    }
    if (!exists) {
      const out = await client.send(
        new sdk.CreateFunctionCommand({ FunctionName: name, Role: o.role ?? 'arn:aws:iam::123456789012:role/gatehouse-local', Code: code, ...settings }),
      );
      return { created: true, functionName: name, functionArn: out.FunctionArn!, registeredIn };
    }
    await client.send(new sdk.UpdateFunctionCodeCommand({ FunctionName: name, ...code }));
    const out = await client.send(new sdk.UpdateFunctionConfigurationCommand({ FunctionName: name, ...settings }));
    return { created: false, functionName: name, functionArn: out.FunctionArn!, registeredIn };
  } finally {
    client.destroy();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError('must be KEY=VALUE');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

const defaultEndpoint = () => `http://127.0.0.1:${process.env.GATEHOUSE_PORT ?? 4567}`;

/** Adds `gatehouse functions ...` to the CLI. */
export function registerFunctionsCommand(program: Command): void {
  const functions = program.command('functions').description('embedded Lambda functions for local development');

  functions
    .command('deploy')
    .argument('<dir>', 'directory holding the function code (LAMBDA_TASK_ROOT)')
    .description('create or update a function that runs DIR directly; code changes are picked up without restarting')
    .option('--name <name>', 'function name (default: the directory name)')
    .option('--runtime <runtime>', 'nodejs20.x | nodejs22.x | nodejs24.x | provided.al2023 (default: provided.al2023 when DIR has a bootstrap, else nodejs22.x)')
    .option('--handler <handler>', 'handler (default: index.handler)')
    .option('--timeout <seconds>', 'timeout in seconds (default 3)', positiveInt)
    .option('--memory <mb>', 'memory size in MB (default 128)', positiveInt)
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', keyValue)
    .option('--endpoint-url <url>', 'Gatehouse endpoint (default: http://127.0.0.1:$GATEHOUSE_PORT or :4567)')
    .option('--region <region>', 'region (default: us-east-1)')
    .option('--data-dir <dir>', "the server's data directory, where DIR is registered for hot reload (env GATEHOUSE_DATA_DIR, default ./.gatehouse)")
    .action(async (dir: string, opts: { name?: string; runtime?: string; handler?: string; timeout?: number; memory?: number; env?: Record<string, string>; endpointUrl?: string; region?: string; dataDir?: string }) => {
      const endpoint = opts.endpointUrl ?? defaultEndpoint();
      let r: DeployResult;
      try {
        r = await deployDirectory({ dir, ...opts, endpoint });
      } catch (err) {
        // The server's own words (e.g. a directory it does not allow), on one line.
        console.error(`gatehouse: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      console.log(`${r.created ? 'Created' : 'Updated'} ${r.functionArn} from ${resolve(dir)} (changes are picked up on the next invocation)`);
      console.log(`Try: aws lambda invoke --function-name ${r.functionName} --endpoint-url ${endpoint} --region ${opts.region ?? 'us-east-1'} out.json`);
    });

  functions
    .command('logs')
    .argument('<name>', 'function name')
    .description("print a function's log (START/END/REPORT and its output)")
    .option('--data-dir <dir>', 'Gatehouse data directory (env GATEHOUSE_DATA_DIR, default ./.gatehouse)')
    .option('--region <region>', 'region (default: us-east-1)')
    .option('-f, --follow', 'keep printing new lines')
    .action((name: string, opts: { dataDir?: string; region?: string; follow?: boolean }) => {
      const file = FunctionLogs.file(resolve(opts.dataDir ?? process.env.GATEHOUSE_DATA_DIR ?? './.gatehouse'), opts.region ?? 'us-east-1', name);
      if (!existsSync(file)) {
        console.error(`no log for ${name} yet (${file})`);
        process.exitCode = 1;
        return;
      }
      let printed = 0;
      const print = () => {
        const text = readFileSync(file);
        process.stdout.write(text.subarray(printed));
        printed = text.length;
      };
      print();
      if (opts.follow) watch(file, print);
    });
}
