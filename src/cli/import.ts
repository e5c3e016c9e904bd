// `gatehouse import FILE`: an OpenAPI / Swagger definition (JSON or YAML, with x-amazon-apigateway-* extensions) into
// a running Gatehouse, then a deployment. It talks to the server only through the AWS API, as `aws apigateway` would:
//   without --api-id   ImportRestApi, and prints the new API's id;
//   with --api-id      PutRestApi mode=overwrite (the API keeps its id, stages and keys);
//   then               CreateDeployment on --stage (default `dev`, created when missing).
// `--watch` keeps doing so on every save of the file and prints one line per save: what changed (`+2 paths, ~1 method,
// -1 model`) or, when the file cannot be read, parsed or imported, why — the last good version keeps being served,
// since a refused import changes nothing on the server and no deployment is made.
// Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set, else the bootstrap administrator's key in the data
// directory's `admin-credentials` (so a server started with --require-auth accepts the calls), else a placeholder
// key, which a server that does not verify signatures accepts.
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseDefinitionYaml } from '../openapi/definition-yaml.ts';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CREDENTIALS_FILE, readCredentialsFile } from '../identity/bootstrap.ts';
import { definitionChanges, describeChanges } from './import-changes.ts';

export const DEFAULT_STAGE = 'dev';
/** Saves closer together than this are one change: editors write a file in several steps (truncate, write, rename). */
export const WATCH_DEBOUNCE_MS = 25;

export interface ImportOptions {
  file: string;
  apiId?: string;
  stage: string;
  endpoint: string;
  region: string;
  /** ImportRestApi / PutRestApi `parameters` (basepath, endpointConfigurationTypes, ignore...). */
  parameters?: Record<string, string>;
  failOnWarnings?: boolean;
  /** Where `admin-credentials` is looked for (default GATEHOUSE_DATA_DIR or ./.gatehouse). */
  dataDir?: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function importCredentials(env: NodeJS.ProcessEnv, dataDir: string): Credentials {
  if (env.AWS_ACCESS_KEY_ID) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '', sessionToken: env.AWS_SESSION_TOKEN || undefined };
  }
  return readCredentialsFile(join(dataDir, CREDENTIALS_FILE)) ?? { accessKeyId: 'gatehouse', secretAccessKey: 'gatehouse' };
}

/** A failure worth one line: the CLI prints `gatehouse: ${message}`. */
export class ImportError extends Error {
  /** The server could not be reached: the same contents are worth sending again (not so for a refused file). */
  readonly unreachable: boolean;
  /** The API the import made or updated when only the deployment failed (so a retry updates it, not a new one). */
  readonly apiId?: string;
  constructor(message: string, unreachable = false, apiId?: string) {
    super(message);
    this.unreachable = unreachable;
    this.apiId = apiId;
  }
}

export interface Definition {
  bytes: Buffer;
  document: unknown;
}

/** Reads and parses the file (YAML 1.2 reads JSON too). The server judges the content; this only needs to parse. */
export function readDefinition(file: string): Definition {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ImportError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message}`);
  }
  if (bytes.length === 0) throw new ImportError(`${file} is empty`);
  let document: unknown;
  const text = bytes.toString('utf8');
  try {
    // JSON.parse is much faster on big JSON files; YAML is the fallback, read as the server's import reads it
    // (src/openapi/definition-yaml.ts: `<<` is an ordinary key, aliases and nesting bounded).
    try {
      document = JSON.parse(text);
    } catch {
      document = parseDefinitionYaml(text);
    }
  } catch (err) {
    throw new ImportError(`${file} is not valid JSON or YAML: ${firstLine((err as Error).message)}`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ImportError(`${file} is not an OpenAPI or Swagger document (no top-level object)`);
  }
  return { bytes, document };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim().replace(/:$/, '');
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

function networkCode(err: unknown): string | undefined {
  const e = err as { code?: string; errors?: unknown[]; cause?: unknown };
  if (e?.code && UNREACHABLE.has(e.code)) return e.code;
  for (const inner of e?.errors ?? []) {
    const c = networkCode(inner);
    if (c) return c;
  }
  return e?.cause ? networkCode(e.cause) : undefined;
}

/** One line for an SDK failure: the server cannot be reached, or AWS's error type and message. */
export function describeCallError(operation: string, err: unknown, endpoint: string): string {
  const code = networkCode(err);
  if (code) return `cannot reach Gatehouse at ${endpoint} (${code}); is \`gatehouse serve\` running there? (--endpoint URL)`;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.$metadata?.httpStatusCode) return `${operation}: ${e.name}: ${firstLine(e.message ?? '')}`;
  return `${operation}: ${firstLine(e?.message ?? String(err))}`;
}

export async function apigatewayClient(o: ImportOptions): Promise<APIGatewayClient> {
  const { APIGatewayClient } = await import('@aws-sdk/client-api-gateway');
  const dataDir = resolve(o.dataDir ?? (process.env.GATEHOUSE_DATA_DIR || './.gatehouse'));
  return new APIGatewayClient({ endpoint: o.endpoint, region: o.region, maxAttempts: 1, credentials: importCredentials(process.env, dataDir) });
}

export interface Applied {
  apiId: string;
  name?: string;
  created: boolean;
  deploymentId: string;
  warnings: string[];
}

/**
 * The import itself: ImportRestApi (no id yet) or PutRestApi overwrite, then CreateDeployment on the stage.
 * Throws ImportError with the one line to print.
 */
export async function applyDefinition(client: APIGatewayClient, o: ImportOptions, apiId: string | undefined, bytes: Uint8Array): Promise<Applied> {
  const sdk = await import('@aws-sdk/client-api-gateway');
  const call = async <T>(operation: string, run: () => Promise<T>, madeApiId?: string): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const made = madeApiId && !apiId ? ` (API ${madeApiId} was created: use --api-id ${madeApiId} to update it)` : '';
      throw new ImportError(`${describeCallError(operation, err, o.endpoint)}${made}`, networkCode(err) !== undefined, madeApiId);
    }
  };
  const common = { body: bytes, failOnWarnings: o.failOnWarnings, parameters: o.parameters };
  const api = apiId
    ? await call('PutRestApi', () => client.send(new sdk.PutRestApiCommand({ restApiId: apiId, mode: 'overwrite', ...common })))
    : await call('ImportRestApi', () => client.send(new sdk.ImportRestApiCommand(common)));
  if (!api.id) throw new ImportError(`${apiId ? 'PutRestApi' : 'ImportRestApi'}: the server answered without an API id`);
  const deployment = await call(
    'CreateDeployment',
    () => client.send(new sdk.CreateDeploymentCommand({ restApiId: api.id!, stageName: o.stage, description: `gatehouse import ${basename(o.file)}` })),
    api.id,
  );
  return { apiId: api.id, name: api.name, created: !apiId, deploymentId: deployment.id ?? '', warnings: api.warnings ?? [] };
}

/** Where the stage answers: the path style works for every endpoint, whatever name it has. */
export function invokeUrl(endpoint: string, apiId: string, stage: string): string {
  return `${endpoint.replace(/\/+$/, '')}/restapis/${apiId}/${stage}/_user_request_/`;
}

export interface Output {
  line(text: string): void;
  error(text: string): void;
}

/** `gatehouse import FILE` without --watch. Resolves with the API id; throws ImportError. */
export async function importOnce(o: ImportOptions, out: Output): Promise<string> {
  const def = readDefinition(o.file);
  const client = await apigatewayClient(o);
  try {
    const applied = await applyDefinition(client, o, o.apiId, def.bytes);
    for (const w of applied.warnings) out.error(`warning: ${w}`);
    out.line(
      `${applied.created ? 'Created' : 'Updated'} API ${applied.apiId}${applied.name ? ` (${applied.name})` : ''} from ${o.file}; ` +
        `deployment ${applied.deploymentId} on stage ${o.stage}: ${invokeUrl(o.endpoint, applied.apiId, o.stage)}`,
    );
    return applied.apiId;
  } finally {
    client.destroy();
  }
}

function clock(now: Date): string {
  return now.toTimeString().slice(0, 8);
}

export interface Watching {
  /** The API being kept up to date (undefined until a first import succeeded). */
  apiId(): string | undefined;
  /** Resolves once the save being handled (if any) and a queued one are done. */
  idle(): Promise<void>;
  close(): void;
}

/**
 * `--watch`: imports now, then on every save. The directory is watched, not the file: editors that save by writing
 * a new file and renaming it over the old one (vim, JetBrains, VS Code with some settings) replace the inode a file
 * watcher would be attached to. Saves are debounced, handled one at a time (a save during an import is handled
 * right after it), and identical contents are not imported twice.
 */
export async function watchDefinition(o: ImportOptions, out: Output, now: () => Date = () => new Date()): Promise<Watching> {
  const client = await apigatewayClient(o);
  const file = resolve(o.file);
  let apiId = o.apiId;
  let lastGood: unknown; // the document of the version being served
  let lastSeen: Buffer | undefined; // the contents last handled, good or bad
  let running: Promise<void> | undefined;
  let queued = false;
  let timer: NodeJS.Timeout | undefined; // set while a save waits for its debounce
  let closed = false;

  const handle = async (): Promise<void> => {
    const started = performance.now();
    let def: Definition;
    try {
      def = readDefinition(o.file);
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      const missing = err.message.endsWith('no such file');
      if (lastSeen?.length === 0 && missing) return; // said already
      lastSeen = missing ? Buffer.alloc(0) : undefined;
      out.line(`${clock(now())} ${err.message}${lastGood !== undefined ? '; still serving the last good version' : ''}`);
      return;
    }
    if (lastSeen && lastSeen.equals(def.bytes)) return;
    lastSeen = def.bytes;
    try {
      const applied = await applyDefinition(client, o, apiId, def.bytes);
      for (const w of applied.warnings) out.error(`warning: ${w}`);
      const what = lastGood === undefined ? `${applied.created ? 'created' : 'updated'} API ${applied.apiId}` : describeChanges(definitionChanges(lastGood, def.document));
      apiId = applied.apiId;
      lastGood = def.document;
      const ms = Math.round(performance.now() - started);
      out.line(`${clock(now())} ${what}; deployed ${applied.deploymentId} to ${o.stage} in ${ms} ms: ${invokeUrl(o.endpoint, applied.apiId, o.stage)}`);
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      if (err.unreachable) lastSeen = undefined; // the next save, even unchanged, tries again
      if (err.apiId) apiId = err.apiId; // imported but not deployed: later saves update that API
      out.line(`${clock(now())} ${err.message}${lastGood !== undefined ? '; still serving the last good version' : ''}`);
    }
  };

  const run = (): void => {
    timer = undefined;
    if (closed) return;
    if (running) {
      queued = true;
      return;
    }
    running = handle()
      .catch((err: unknown) => out.line(`${clock(now())} ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
        if (queued) {
          queued = false;
          run();
        }
      });
  };

  const name = basename(file);
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: true }, (_event, changed) => {
      // The directory itself removed (inotify then says nothing more): stop, saying so, rather than watch nothing.
      if (!existsSync(dirname(file))) {
        out.line(`${clock(now())} ${dirname(file)} was removed; no longer watching (the stage keeps the last good version)`);
        process.exitCode = 1;
        handle_.close();
        return;
      }
      // Some platforms do not name the file; then any change in the directory is looked at (contents are compared).
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(run, WATCH_DEBOUNCE_MS);
    });
  } catch (err) {
    client.destroy();
    throw new ImportError(`cannot watch ${dirname(file)}: ${(err as Error).message}`);
  }
  run();
  const handle_: Watching = {
    apiId: () => apiId,
    async idle() {
      while (running || timer) {
        if (running) await running;
        else await new Promise((r) => setTimeout(r, WATCH_DEBOUNCE_MS));
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      void (running ?? Promise.resolve()).finally(() => client.destroy());
    },
  };
  return handle_;
}

function parameter(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError('not NAME=VALUE');
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

function stageName(value: string): string {
  // CreateDeployment's stage names: letters, digits, hyphens and underscores (AWS refuses others).
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(value)) throw new InvalidArgumentError('a stage name is letters, digits, - and _ only');
  return value;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import an OpenAPI/Swagger definition (JSON or YAML) into a running Gatehouse and deploy it')
    .argument('<file>', 'the definition, with x-amazon-apigateway-* extensions')
    .option('--api-id <id>', 'update this API (PutRestApi mode=overwrite) instead of creating one (ImportRestApi)')
    .option('--stage <name>', `deploy to this stage, created when missing (default ${DEFAULT_STAGE})`, stageName, DEFAULT_STAGE)
    .option('--watch', 're-import and redeploy on every save, printing what changed; an invalid save keeps the last good version')
    .option('--endpoint <url>', 'the Gatehouse to talk to (env GATEHOUSE_ENDPOINT, default http://127.0.0.1:$GATEHOUSE_PORT or :4567)')
    .option('--region <region>', 'region of the API (env AWS_REGION, default us-east-1)')
    .option('--parameter <NAME=VALUE>', 'an import parameter, e.g. basepath=prepend, endpointConfigurationTypes=REGIONAL (repeatable)', parameter)
    .option('--fail-on-warnings', 'refuse the definition when the import has warnings (failonwarnings=true)')
    .option('--data-dir <dir>', "the server's data directory, whose admin-credentials sign the calls (env GATEHOUSE_DATA_DIR, default ./.gatehouse)")
    .action(async (file: string, opts: {
      apiId?: string; stage: string; watch?: boolean; endpoint?: string; region?: string; parameter?: Record<string, string>;
      failOnWarnings?: boolean; dataDir?: string;
    }) => {
      const o: ImportOptions = {
        file,
        apiId: opts.apiId,
        stage: opts.stage,
        endpoint: opts.endpoint ?? process.env.GATEHOUSE_ENDPOINT ?? `http://127.0.0.1:${process.env.GATEHOUSE_PORT || 4567}`,
        region: opts.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1'),
        parameters: opts.parameter,
        failOnWarnings: opts.failOnWarnings,
        dataDir: opts.dataDir,
      };
      const out: Output = { line: (t) => console.log(t), error: (t) => console.error(t) };
      try {
        if (!opts.watch) {
          await importOnce(o, out);
          return;
        }
        // A file that cannot be read at all (wrong path) is a typing mistake, not a save to wait for.
        readFileSync(o.file, { flag: 'r' });
        console.log(`Watching ${o.file} (stage ${o.stage}, ${o.endpoint}); Ctrl-C to stop`);
        const w = await watchDefinition(o, out);
        const stop = () => {
          w.close();
          process.exit(0);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const message = err instanceof ImportError ? err.message : e.code === 'ENOENT' ? `cannot read ${o.file}: no such file` : e.message;
        console.error(`gatehouse: ${message}`);
        process.exit(1);
      }
    });
}
