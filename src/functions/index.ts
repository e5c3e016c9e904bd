// The embedded Lambda service as the rest of Gatehouse sees it: the Lambda API handlers use it, and the data
// plane's Lambda integrations call `invoke` (which goes to a remote Lambda when AWS_ENDPOINT_URL_LAMBDA is set).
//
// Pieces: records.ts (what is stored), code-storage.ts (zips on disk), environment.ts (one runtime process and its
// Runtime API), pool.ts (warm environments), runtime.ts (one invocation: throttling, logs, result), async-invocations.ts
// (Event invocations and retries), local-code.ts (directory functions, hot reload), remote.ts, policy.ts.
import { DatabaseError } from '../store/database-url.ts';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import {
  InvalidRequestContentException,
  RequestTooLargeException,
  ResourceNotFoundException,
} from '../aws/errors.ts';
import type { Store } from '../store/store.ts';
import { scopedStore } from '../store/scoped.ts';
import { CgroupRoot } from './cgroups.ts';
import { AsyncInvocationQueue, type AsyncSettings } from './async-invocations.ts';
import { embeddedJobStore, leasedJobStore } from './async-job-stores.ts';
import { CodeStorage } from './code-storage.ts';
import { HotReloadRoots } from './hot-reload-roots.ts';
import { DEFAULT_WATCH_LIMITS, LocalCodeWatcher, type WatchLimits } from './local-code.ts';
import { FunctionLogs, type FunctionLogSink } from './logs.ts';
import { functionArn, isVersionNumber, LATEST, parseFunctionName } from './names.ts';
import { allowsInvoke, type InvokeCheck } from './policy.ts';
import { EnvironmentPool } from './pool.ts';
import { COLLECTIONS, getAlias, getFunction, getVersion, policyKey, type FunctionRecord, type PolicyRecord, type VersionConfig } from './records.ts';
import { RemoteLambda } from './remote.ts';
import { FunctionRuntime, type ResolvedTarget } from './runtime.ts';
import { NodeVersions } from './runtimes/node-versions.ts';
import { loopbackPeerUid, Sandbox, SANDBOX_UID } from './sandbox.ts';
import type { ExecutionEnvironment } from './environment.ts';
import type { FunctionMetrics } from '../observe/function-metrics.ts';
import type { Tracer } from '../observe/tracing.ts';

export interface InvokeRequest {
  /** Function name, full or partial ARN, optionally with `:qualifier`. */
  functionName: string;
  qualifier?: string;
  region: string;
  payload: Buffer;
  invocationType: 'RequestResponse' | 'Event' | 'DryRun';
  logType?: 'None' | 'Tail';
  clientContext?: string;
  /** The invocation's request id (Lambda's x-amzn-RequestId); generated when absent. */
  requestId?: string;
  /** The payload is JSON Gatehouse serialised itself (API Gateway's proxy event): it is not parsed again to check. */
  payloadIsJson?: boolean;
  /** The caller's X-Ray trace (`Root=…;Parent=…;Sampled=…`): the function's _X_AMZN_TRACE_ID. Generated when absent. */
  traceId?: string;
}

export interface InvokeResult {
  statusCode: number;
  payload: Buffer;
  functionError?: 'Unhandled' | 'Handled';
  /** Base64 of the last 4 KB of the invocation's log, when logType was Tail. */
  logResult?: string;
  executedVersion?: string;
}

/** What API Gateway's Lambda integrations check before invoking (the function's resource policy). */
export interface InvokePermissionRequest {
  region: string;
  functionName: string;
  qualifier?: string;
  /** The calling service principal, e.g. 'apigateway.amazonaws.com'. */
  principal: string;
  /** e.g. arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets */
  sourceArn: string;
  sourceAccount: string;
}

export interface FunctionsService {
  invoke(req: InvokeRequest): Promise<InvokeResult>;
  /**
   * Whether the function's resource policy lets the principal invoke it from sourceArn. Throws
   * ResourceNotFoundException for an unknown function. Always true when invocations go to a remote Lambda
   * (the remote enforces its own policies).
   */
  checkInvokePermission(req: InvokePermissionRequest): Promise<boolean>;
  close(): Promise<void>;
  reset(): Promise<void>;
}

export interface FunctionsOptions {
  /** Stop environments idle this long (Lambda reclaims idle environments after some minutes). */
  idleTimeoutMs: number;
  /** Account concurrency limit per region (Lambda's default quota is 1,000). */
  accountConcurrency: number;
  async: AsyncSettings;
  /** Bounds on hot-reload watching (GATEHOUSE_LAMBDA_HOT_RELOAD_*). */
  hotReload: WatchLimits;
  /** Remote Lambda endpoint for `invoke` (AWS_ENDPOINT_URL_LAMBDA); empty = run functions here. */
  remoteEndpoint: string;
  /** `--unsafe-functions`: run functions as plain processes, without the bubblewrap sandbox. */
  unsafeFunctions: boolean;
  /** The bubblewrap program (GATEHOUSE_BWRAP); empty: `bwrap` from /usr/bin, /bin or PATH. */
  bwrap: string;
  /** Where provisioned runtimes (Node.js majors) are kept (GATEHOUSE_RUNTIME_CACHE); empty: `${dataDir}/runtimes`. */
  runtimeCache: string;
}

export interface FunctionsDeps {
  store: Store;
  /** Embedded mode: where code lives. Scale-out: this node's cache of code kept in the store. */
  dataDir: string;
  /** Several nodes share the store (`--database-url`): code is kept in it, hot-reload directories are refused. */
  scaleOut?: boolean;
  accountId: string;
  now: () => Date;
  options?: Partial<FunctionsOptions>;
  /** Directories under which hot-reload code may live (`gatehouse serve --hot-reload-root`). */
  hotReloadRoots?: readonly string[];
  /** Where invocations are counted (AWS/Lambda metrics, Prometheus). */
  metrics?: FunctionMetrics;
  /** Function spans of traced API stages. */
  tracer?: Tracer;
  /** Where function log lines go besides their file (CloudWatch Logs' /aws/lambda/{name}). */
  logSink?: FunctionLogSink;
}

/** Settings from the environment: GATEHOUSE_LAMBDA_* and AWS_ENDPOINT_URL_LAMBDA. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): FunctionsOptions {
  const num = (v: string | undefined, d: number) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d);
  return {
    idleTimeoutMs: num(env.GATEHOUSE_LAMBDA_IDLE_TIMEOUT_MS, 600_000),
    accountConcurrency: num(env.GATEHOUSE_LAMBDA_ACCOUNT_CONCURRENCY, 1000),
    async: {
      retryDelaysMs: env.GATEHOUSE_LAMBDA_ASYNC_RETRY_DELAYS_MS ? env.GATEHOUSE_LAMBDA_ASYNC_RETRY_DELAYS_MS.split(',').map(Number) : [60_000, 120_000],
      throttleDelayMs: num(env.GATEHOUSE_LAMBDA_ASYNC_THROTTLE_DELAY_MS, 1000),
      maxEventAgeMs: num(env.GATEHOUSE_LAMBDA_ASYNC_MAX_EVENT_AGE_MS, 6 * 3600_000),
      leaseMs: num(env.GATEHOUSE_LAMBDA_ASYNC_LEASE_MS, 60_000),
    },
    remoteEndpoint: env.AWS_ENDPOINT_URL_LAMBDA ?? '',
    hotReload: {
      maxDirectoriesPerFunction: num(env.GATEHOUSE_LAMBDA_HOT_RELOAD_MAX_DIRS, DEFAULT_WATCH_LIMITS.maxDirectoriesPerFunction),
      maxDirectories: num(env.GATEHOUSE_LAMBDA_HOT_RELOAD_MAX_WATCHES, DEFAULT_WATCH_LIMITS.maxDirectories),
      debounceMs: num(env.GATEHOUSE_LAMBDA_HOT_RELOAD_DEBOUNCE_MS, DEFAULT_WATCH_LIMITS.debounceMs),
    },
    unsafeFunctions: false, // from GatehouseConfig (--unsafe-functions, GATEHOUSE_UNSAFE_FUNCTIONS)
    bwrap: env.GATEHOUSE_BWRAP ?? '',
    runtimeCache: env.GATEHOUSE_RUNTIME_CACHE ?? '',
  };
}

/** A name + qualifier as read from the store: one version, or an alias with the versions it routes to. */
interface LoadedTarget {
  region: string;
  fn: FunctionRecord;
  invokedArn: string;
  totalReserved: number;
  config?: VersionConfig;
  alias?: { FunctionVersion: string; weights?: Record<string, number>; versions: Map<string, VersionConfig> };
}

/** Lambda's payload limits for synchronous and asynchronous invocations. */
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_ASYNC_PAYLOAD = 1_048_576;
/** Bound on each cache of resolved names and permission decisions (emptied when full). */
const MAX_CACHED = 10_000;

export class EmbeddedFunctions implements FunctionsService {
  readonly accountId: string;
  readonly dataDir: string;
  readonly code: CodeStorage;
  readonly logs: FunctionLogs;
  readonly options: FunctionsOptions;
  /** How functions are isolated (bubblewrap, or unsafe by the operator's choice, or unavailable). */
  readonly sandbox: Sandbox;
  private readonly cgroups: CgroupRoot | undefined;
  private readonly peers = new WeakMap<Socket, boolean>();
  private readonly store: Store;
  private readonly now: () => Date;
  private readonly pool: EnvironmentPool;
  private readonly runtime: FunctionRuntime;
  /** Hot reload: which directories may be code, and their watches. */
  readonly hotReloadRoots: HotReloadRoots;
  /** Several nodes share the store: see FunctionsDeps.scaleOut. */
  readonly scaleOut: boolean;
  readonly watcher: LocalCodeWatcher;
  private readonly remote: RemoteLambda | undefined;
  private queue: AsyncInvocationQueue;
  private readonly regions = new Map<string, Store>();
  /** Resolved names (as given: name, qualifier, region), until the next commit to a functions collection. */
  private readonly cache = new Map<string, Promise<LoadedTarget>>();
  /** Invoke-permission decisions by function and caller, until the next commit to a functions collection. */
  private readonly permissions = new Map<string, Promise<boolean>>();
  private readonly reservedTotals = new Map<string, Promise<number>>();
  private readonly unsubscribe: () => void;
  /** This process among the nodes sharing the store (the owner of the Event invocations it runs). */
  private readonly node = randomUUID();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(deps: FunctionsDeps) {
    this.store = deps.store;
    this.accountId = deps.accountId;
    this.dataDir = deps.dataDir;
    this.now = deps.now;
    this.options = { ...optionsFromEnv(), ...deps.options };
    this.code = new CodeStorage(deps.dataDir, deps.scaleOut ? deps.store : undefined);
    this.scaleOut = deps.scaleOut ?? false;
    this.logs = new FunctionLogs(deps.dataDir, deps.logSink);
    this.sandbox = Sandbox.detect({ unsafe: this.options.unsafeFunctions, bwrap: this.options.bwrap, stateDir: join(deps.dataDir, 'sandbox') });
    const notice = this.sandbox.notice();
    if (notice) console.warn(notice); // the one line at start saying how (or that) functions cannot run sandboxed
    this.cgroups = CgroupRoot.open();
    const nodeVersions = new NodeVersions(this.options.runtimeCache || join(deps.dataDir, 'runtimes'));
    this.pool = new EnvironmentPool(this.options.idleTimeoutMs, { sandbox: this.sandbox, cgroups: this.cgroups, nodeBinary: (runtime) => nodeVersions.binary(runtime) });
    this.runtime = new FunctionRuntime({
      accountId: deps.accountId,
      accountConcurrency: this.options.accountConcurrency,
      pool: this.pool,
      logs: this.logs,
      now: deps.now,
      unavailable: this.sandbox.problem,
      metrics: deps.metrics,
      tracer: deps.tracer,
    });
    this.hotReloadRoots = new HotReloadRoots(deps.hotReloadRoots ?? [], deps.dataDir);
    // A directory changed: the $LATEST environments of the functions running it are stopped.
    this.watcher = new LocalCodeWatcher(
      this.options.hotReload,
      (keys) => this.pool.retire((spec) => spec.version === LATEST && keys.includes(LocalCodeWatcher.key(spec.region, spec.functionName))),
      (dir) => this.hotReloadRoots.check(dir),
    );
    this.remote = this.options.remoteEndpoint ? new RemoteLambda(this.options.remoteEndpoint) : undefined;
    this.queue = this.newQueue();
    // A database that never opened is startup's one line to say (src/server/startup-errors.ts), not this one's.
    this.queue.resume().catch((err) => err instanceof DatabaseError || console.error('could not resume queued Event invocations', err));
    // Scale-out: renew this node's leases on its events and take over those of nodes that stopped.
    if (this.scaleOut) {
      this.sweeper = setInterval(() => {
        this.queue.resume().catch((err: Error) => console.error(`WARN could not sweep queued Event invocations: ${err.message}`));
      }, this.options.async.leaseMs / 3);
      this.sweeper.unref();
    }
    this.unsubscribe = this.store.onCommit((collections) => {
      if (COLLECTIONS.some((c) => collections.has(c))) this.clearCaches();
    });
  }

  regionDb(region: string): Store {
    let s = this.regions.get(region);
    if (!s) this.regions.set(region, (s = scopedStore(this.store, region)));
    return s;
  }

  /** FunctionsService.invoke: the data plane's entry; remote when AWS_ENDPOINT_URL_LAMBDA is set. */
  invoke(req: InvokeRequest): Promise<InvokeResult> {
    if (this.remote) return this.remote.invoke(req);
    return this.invokeLocal(req);
  }

  /** Runs a function here (the Lambda API's Invoke, and `invoke` without a remote). */
  async invokeLocal(req: InvokeRequest): Promise<InvokeResult> {
    const requestId = req.requestId ?? randomUUID();
    const limit = req.invocationType === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (req.payload.length > limit) {
      throw new RequestTooLargeException(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
    }
    if (!req.payloadIsJson) checkJsonPayload(req.payload);
    const clientContext = checkClientContext(req.clientContext);
    const target = await this.resolve(req.region, req.functionName, req.qualifier);
    switch (req.invocationType) {
      case 'DryRun':
        return { statusCode: 204, payload: Buffer.alloc(0) };
      case 'Event': {
        const ref = parseFunctionName(req.functionName, req.qualifier, req.region, this.accountId);
        await this.queue.enqueue({ requestId, region: req.region, functionName: ref.name, qualifier: ref.qualifier, payload: req.payload, enqueuedAt: Date.now(), failures: 0, throttles: 0 });
        return { statusCode: 202, payload: Buffer.alloc(0) };
      }
      default: {
        const r = await this.runtime.run(target, { requestId, payload: req.payload, tailLog: req.logType === 'Tail', clientContext, traceId: req.traceId });
        return { statusCode: 200, payload: r.payload, functionError: r.functionError, logResult: r.logResult, executedVersion: r.executedVersion };
      }
    }
  }

  checkInvokePermission(req: InvokePermissionRequest): Promise<boolean> {
    if (this.remote) return Promise.resolve(true);
    // API Gateway asks for every request with the same few method ARNs: the decision is kept until policies change.
    const key = `${req.region}\n${req.functionName}\n${req.qualifier ?? ''}\n${req.principal}\n${req.sourceArn}\n${req.sourceAccount}`;
    let decision = this.permissions.get(key);
    if (!decision) {
      if (this.permissions.size >= MAX_CACHED) this.permissions.clear();
      decision = this.evaluatePermission(req);
      this.permissions.set(key, decision);
      decision.catch(() => this.permissions.delete(key));
    }
    return decision;
  }

  private async evaluatePermission(req: InvokePermissionRequest): Promise<boolean> {
    const ref = parseFunctionName(req.functionName, req.qualifier, req.region, this.accountId);
    await this.resolve(req.region, req.functionName, req.qualifier);
    const check: InvokeCheck = { service: req.principal, sourceArn: req.sourceArn, sourceAccount: req.sourceAccount };
    return this.regionDb(req.region).read(async (tx) => {
      const keys = new Set([policyKey(ref.name, undefined), policyKey(ref.name, ref.qualifier)]);
      for (const key of keys) {
        const policy = await tx.get<PolicyRecord>('policies', key);
        if (policy && allowsInvoke(policy.statements, check)) return true;
      }
      return false;
    });
  }

  /** Resolves name + qualifier (version or alias, with alias routing weights) to the version that runs. */
  async resolve(region: string, functionName: string, qualifierParam: string | undefined): Promise<ResolvedTarget> {
    const cacheKey = `${region}\n${functionName}\n${qualifierParam ?? ''}`;
    let entry = this.cache.get(cacheKey);
    if (!entry) {
      const ref = parseFunctionName(functionName, qualifierParam, region, this.accountId);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      entry = this.load(region, ref.name, ref.qualifier);
      this.cache.set(cacheKey, entry);
      entry.catch(() => this.cache.delete(cacheKey));
    }
    const e = await entry;
    let config: VersionConfig;
    if (e.alias) {
      let version = e.alias.FunctionVersion;
      const weights = e.alias.weights;
      if (weights) {
        // Weighted alias routing: each additional version gets its share of invocations, the rest the main one.
        let r = Math.random();
        for (const [v, w] of Object.entries(weights)) {
          if (r < w) {
            version = v;
            break;
          }
          r -= w;
        }
      }
      config = e.alias.versions.get(version)!;
    } else {
      config = e.config!;
    }
    const taskRoot = config.code.kind === 'zip' ? await this.code.local(config.code.dir) : config.code.path;
    const codeGeneration = config.code.kind === 'directory' ? await this.watcher.generation(LocalCodeWatcher.key(region, e.fn.name), config.code.path) : 0;
    return { region, fn: e.fn, invokedArn: e.invokedArn, totalReserved: e.totalReserved, config, executedVersion: config.Version, taskRoot, codeGeneration };
  }

  private async load(region: string, name: string, qualifier: string | undefined): Promise<LoadedTarget> {
    const db = this.regionDb(region);
    const notFound = () => new ResourceNotFoundException(`Function not found: ${functionArn(region, this.accountId, name, qualifier)}`);
    const totalReserved = await this.totalReserved(region);
    return db.read(async (tx) => {
      const fn: FunctionRecord | undefined = await getFunction(tx, name);
      if (!fn) throw notFound();
      const invokedArn = functionArn(region, this.accountId, name, qualifier);
      const base = { region, fn, invokedArn, totalReserved };
      if (qualifier === undefined || qualifier === LATEST) return { ...base, config: fn.latest };
      if (isVersionNumber(qualifier)) {
        const v = await getVersion(tx, name, qualifier);
        if (!v) throw notFound();
        return { ...base, config: v };
      }
      const alias = await getAlias(tx, name, qualifier);
      if (!alias) throw notFound();
      const versions = new Map<string, VersionConfig>();
      const weights = alias.RoutingConfig?.AdditionalVersionWeights;
      for (const v of [alias.FunctionVersion, ...Object.keys(weights ?? {})]) {
        const cfg = v === LATEST ? fn.latest : await getVersion(tx, name, v);
        if (!cfg) throw notFound();
        versions.set(v, cfg);
      }
      return { ...base, alias: { FunctionVersion: alias.FunctionVersion, weights: weights && Object.keys(weights).length ? weights : undefined, versions } };
    });
  }

  private totalReserved(region: string): Promise<number> {
    let p = this.reservedTotals.get(region);
    if (!p) {
      p = this.regionDb(region).read(async (tx) => {
        let sum = 0;
        for (const { value } of await tx.list<FunctionRecord>('functions')) sum += value.reservedConcurrency ?? 0;
        return sum;
      });
      this.reservedTotals.set(region, p);
    }
    return p;
  }

  /** Stops a function's environments after its code or configuration changed, or it was deleted. */
  retire(region: string, name: string): void {
    this.pool.retire((spec) => spec.region === region && spec.functionName === name);
  }

  /** Removes a deleted function's files (code, logs). */
  removeFunctionFiles(region: string, name: string): void {
    this.logs.drop(region, name);
    this.code.removeFunction(region, name);
  }

  /**
   * Whether a request comes from a function: a loopback connection whose socket belongs to the sandbox's user.
   * Functions get no credentials, as on Lambda without an execution role's, so Gatehouse refuses their control
   * calls (the network is shared, the control API is not theirs). Known only when Gatehouse runs as root (else the
   * sandbox maps Gatehouse's own user); decided once per connection.
   */
  isFunctionPeer(socket: Socket): boolean {
    if (this.sandbox.mode !== 'bwrap' || process.getuid?.() !== 0) return false;
    let known = this.peers.get(socket);
    if (known === undefined) {
      const addr = socket.remoteAddress ?? '';
      const loopback = addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
      known = loopback && socket.remotePort !== undefined && socket.localPort !== undefined && loopbackPeerUid(socket.remotePort, socket.localPort) === SANDBOX_UID;
      this.peers.set(socket, known);
    }
    return known;
  }

  /** Live environments (benchmarks, tests). */
  environments(region?: string, name?: string): ExecutionEnvironment[] {
    return this.pool.environments().filter((e) => (!region || e.spec.region === region) && (!name || e.spec.functionName === name));
  }

  /** Resolves when no Event invocation is queued or running. */
  asyncIdle(): Promise<void> {
    return this.queue.idle();
  }

  private newQueue(): AsyncInvocationQueue {
    return new AsyncInvocationQueue(
      this.options.async,
      this.scaleOut ? leasedJobStore(this.store, { node: this.node, leaseMs: this.options.async.leaseMs, now: () => this.now().getTime() }) : embeddedJobStore(this.store),
      async (job) => {
        const target = await this.resolve(job.region, job.functionName, job.qualifier);
        const r = await this.runtime.run(target, { requestId: job.requestId, payload: job.payload, tailLog: false });
        return { functionError: r.functionError !== undefined };
      },
      (job, reason) => {
        this.logs.write(job.region, job.functionName, [
          `${this.now().toISOString()} ${job.requestId} Gatehouse: asynchronous invocation dropped (${reason}) after ${job.failures + 1} attempt(s)`,
        ]);
      },
    );
  }

  async reset(): Promise<void> {
    this.queue.close();
    this.queue = this.newQueue();
    this.pool.retire(() => true);
    this.watcher.close();
    this.clearCaches();
    await this.logs.close();
    this.code.removeAll();
  }

  private clearCaches(): void {
    this.cache.clear();
    this.permissions.clear();
    this.reservedTotals.clear();
  }

  async close(): Promise<void> {
    this.unsubscribe();
    clearInterval(this.sweeper);
    this.queue.close();
    this.pool.closeAll();
    this.watcher.close();
    this.code.close();
    this.remote?.close();
    await Promise.all([this.logs.close(), this.cgroups?.close()]);
  }
}

function checkJsonPayload(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new InvalidRequestContentException(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
  }
}

/** ClientContext is base64 JSON (at most 3,583 bytes); returned as given for the Runtime API header. */
function checkClientContext(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const parsed: unknown = JSON.parse(decoded);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw new InvalidRequestContentException('Client context must be a valid Base64-encoded JSON object.');
  }
  return value;
}

export function createFunctionsService(deps: FunctionsDeps): EmbeddedFunctions {
  return new EmbeddedFunctions(deps);
}
