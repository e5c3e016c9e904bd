// Finds the stage an execute-api request is for and what it runs: the API's region (global `apiregions` index),
// the stage (variables, method settings, canary) and its deployment, compiled once per deployment id.
// Results are cached; a committed write to stages, deployments, APIs or regions drops the stage cache (so stage
// variable and method-setting changes apply at once, as on AWS), while compiled deployments are kept by id
// (immutable). The store unavailable (scale-out: PostgreSQL restarting): a stage whose reload fails is served as it
// was last loaded, and asked for again after STALE_RETRY_MS (deployed APIs keep being served; docs/scale-out.md).
import { MethodMemo } from '../store/method-memo.ts';
import type { MethodSetting, RestApi, Stage, StoredDeployment } from '../store/entities.ts';
import type { Store } from '../store/store.ts';
import { scopedStore } from '../store/scoped.ts';
import { compileDeployment, type CompiledDeployment } from './compile/deployment.ts';
import { cacheServesFrom } from '../cache/cluster-status.ts';
import { cacheBudgetBytes, DEFAULT_CACHE_TTL_SECONDS } from '../cache/limits.ts';

/** The stage's cache cluster, when enabled. */
export interface StageCache {
  /** The ResponseCache partition: `{apiId}/{stageName}`. */
  readonly partition: string;
  readonly budgetBytes: number;
  /** Epoch ms from which it serves (its creation has completed, see src/cache/cluster-status.ts). */
  readonly servesFrom: number;
  /** canarySettings.useStageCache: whether canary requests use (read and fill) the stage cache. */
  readonly canaryUses: boolean;
}

/** How a method's requests use the stage cache (its effective caching/* method settings). */
export interface MethodCaching {
  readonly ttlMs: number;
  readonly encrypted: boolean;
  readonly requireAuthorization: boolean;
  readonly unauthorizedStrategy: string;
}

export interface StageRuntime {
  readonly apiId: string;
  readonly region: string;
  readonly stageName: string;
  /** The REST API's current name (CloudWatch's ApiName dimension). */
  readonly apiName: string;
  /** Whether the stage asks for traces (tracingEnabled: OpenTelemetry spans, src/observe/tracing.ts). */
  readonly tracingEnabled: boolean;
  readonly deploymentId: string;
  readonly variables: Record<string, string>;
  readonly deployment: CompiledDeployment;
  readonly canary: { percentTraffic: number; deployment: CompiledDeployment; deploymentId: string; variables: Record<string, string> } | undefined;
  /** Whether any method setting of the stage asks for INFO execution logging (most stages: none). */
  readonly infoLogging: boolean;
  /** Whether any method setting asks for execution logs (INFO or ERROR). */
  readonly executionLogging: boolean;
  /** The stage's access log settings as stored (src/observe/access-log.ts compiles them once per runtime). */
  readonly accessLogSettings: Stage['accessLogSettings'];
  /** Effective method settings for a method (stage `*\/*` merged with the method's own). */
  methodSetting(resourcePath: string, httpMethod: string): MethodSetting;
  readonly cache: StageCache | undefined;
  /** Whether and how requests with this verb on this resource are cached; null when they are not. */
  methodCaching(resourcePath: string, httpMethod: string): MethodCaching | null;
}

const CACHE_LIMIT = 10_000;
const DEPLOYMENT_LIMIT = 1_000;
/** After a failed reload, how long a stage is served as last loaded before the store is asked again. */
const STALE_RETRY_MS = 1000;

export class StageDirectory {
  readonly #store: Store;
  /** apiId → stage name → runtime: two lookups instead of building a `${apiId}/${stage}` key per request. */
  readonly #stages = new Map<string, Map<string, StageRuntime | null | Promise<StageRuntime | null>>>();
  #stageCount = 0;
  readonly #deployments = new Map<string, CompiledDeployment>();
  /** Each stage as last loaded (apiId → stage name → runtime), kept across commits, for when the store cannot be read. */
  #lastLoaded = new Map<string, Map<string, StageRuntime | null>>();
  #lastLoadedCount = 0;
  readonly #unsubscribe: () => void;

  constructor(store: Store) {
    this.#store = store;
    this.#unsubscribe = store.onCommit((collections) => {
      // Deployments are immutable by id: new ones add entries, so only a bound (or a wipe) clears them.
      if (collections.has('deployments') && this.#deployments.size >= DEPLOYMENT_LIMIT) this.#deployments.clear();
      if (collections.has('stages') || collections.has('deployments') || collections.has('apiregions') || collections.has('restapis')) {
        this.#clearStages();
      }
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  #clearStages(): void {
    this.#stages.clear();
    this.#stageCount = 0;
  }

  /** The stage runtime, null for an unknown API or stage. Synchronous when cached. */
  get(apiId: string, stageName: string): StageRuntime | null | Promise<StageRuntime | null> {
    const hit = this.#stages.get(apiId)?.get(stageName);
    if (hit !== undefined) return hit;
    if (this.#stageCount >= CACHE_LIMIT) this.#clearStages();
    let ofApi = this.#stages.get(apiId);
    if (!ofApi) this.#stages.set(apiId, (ofApi = new Map()));
    const stages = ofApi;
    const loading = this.#load(apiId, stageName).then(
      (r) => {
        // Only if no commit cleared the cache (and replaced this map) meanwhile.
        if (stages.get(stageName) === loading) {
          stages.set(stageName, r);
          this.#remember(apiId, stageName, r);
        }
        return r;
      },
      (e) => {
        const last = this.#lastLoaded.get(apiId)?.get(stageName);
        if (stages.get(stageName) === loading) {
          if (last === undefined) stages.delete(stageName);
          else {
            stages.set(stageName, last);
            setTimeout(() => stages.get(stageName) === last && stages.delete(stageName), STALE_RETRY_MS).unref();
          }
        }
        if (last === undefined) throw e;
        return last;
      },
    );
    stages.set(stageName, loading);
    this.#stageCount++;
    return loading;
  }

  #remember(apiId: string, stageName: string, runtime: StageRuntime | null): void {
    if (this.#lastLoadedCount >= CACHE_LIMIT) {
      this.#lastLoaded = new Map();
      this.#lastLoadedCount = 0;
    }
    let ofApi = this.#lastLoaded.get(apiId);
    if (!ofApi) this.#lastLoaded.set(apiId, (ofApi = new Map()));
    if (!ofApi.has(stageName)) this.#lastLoadedCount++;
    ofApi.set(stageName, runtime);
  }

  /** Compiles a deployment by id (TestInvokeMethod compiles the current API the same way, uncached). */
  async #load(apiId: string, stageName: string): Promise<StageRuntime | null> {
    const region = await this.#store.read((tx) => tx.get<{ region: string }>('apiregions', apiId));
    if (!region) return null;
    const db = scopedStore(this.#store, region.region);
    const loaded = await db.read(async (tx) => {
      const stage = await tx.get<Stage>('stages', `${apiId}/${stageName}`);
      if (!stage) return undefined;
      const main = await this.#deployment(tx, apiId, stage.deploymentId);
      const canaryId = stage.canarySettings?.deploymentId;
      const canary = canaryId ? await this.#deployment(tx, apiId, canaryId) : undefined;
      const api = await tx.get<RestApi>('restapis', apiId);
      return { stage, main, canary, apiName: api?.name ?? apiId };
    });
    if (!loaded || !loaded.main) return null;
    const { stage, main, canary, apiName } = loaded;
    const variables = stage.variables ?? {};
    const settings = stage.methodSettings ?? {};
    const all = settings['*/*'] ?? {};
    const percent = stage.canarySettings?.percentTraffic ?? 0;
    const mergedSettings = new MethodMemo<MethodSetting>();
    const ownSetting = (resourcePath: string, httpMethod: string): MethodSetting | undefined =>
      // Keys are what the client sent: JSON-pointer encoded (`~1pets/GET`, `~1/GET`) or plain (`pets/{id}/GET`).
      settings[`${resourcePath.replace(/\//g, '~1')}/${httpMethod}`] ?? settings[`${resourcePath.slice(1)}/${httpMethod}`];
    const caching = new MethodMemo<MethodCaching | null>();
    return {
      apiId,
      region: region.region,
      stageName,
      apiName,
      tracingEnabled: stage.tracingEnabled === true,
      deploymentId: stage.deploymentId,
      variables,
      infoLogging: Object.values(settings).some((s) => s.loggingLevel === 'INFO'),
      executionLogging: Object.values(settings).some((s) => s.loggingLevel === 'INFO' || s.loggingLevel === 'ERROR'),
      accessLogSettings: stage.accessLogSettings,
      deployment: main,
      canary:
        canary && percent > 0
          ? {
              percentTraffic: percent,
              deployment: canary,
              deploymentId: stage.canarySettings!.deploymentId!,
              variables: { ...variables, ...(stage.canarySettings!.stageVariableOverrides ?? {}) },
            }
          : undefined,
      methodSetting(resourcePath, httpMethod) {
        const merged = mergedSettings.get(resourcePath, httpMethod);
        if (merged !== undefined) return merged;
        const own = ownSetting(resourcePath, httpMethod);
        return mergedSettings.set(resourcePath, httpMethod, own ? { ...all, ...own } : all);
      },
      cache: stage.cacheClusterEnabled
        ? {
            partition: `${apiId}/${stageName}`,
            budgetBytes: cacheBudgetBytes(stage.cacheClusterSize),
            servesFrom: cacheServesFrom(stage),
            canaryUses: stage.canarySettings?.useStageCache === true,
          }
        : undefined,
      methodCaching(resourcePath, httpMethod) {
        const c = caching.get(resourcePath, httpMethod);
        if (c !== undefined) return c;
        return caching.set(resourcePath, httpMethod, methodCaching(ownSetting(resourcePath, httpMethod), settings['*/*'], httpMethod));
      },
    };
  }

  async #deployment(tx: { get<T>(c: string, k: string): Promise<T | undefined> }, apiId: string, deploymentId: string): Promise<CompiledDeployment | undefined> {
    const key = `${apiId}/${deploymentId}`;
    const hit = this.#deployments.get(key);
    if (hit) return hit;
    const stored = await tx.get<StoredDeployment>('deployments', key);
    if (!stored) return undefined;
    const compiled = compileDeployment(apiId, deploymentId, stored.snapshot);
    this.#deployments.set(key, compiled);
    return compiled;
  }
}

/**
 * AWS: "When you enable caching for a stage, only GET methods have caching enabled by default ... You can enable
 * caching for other methods by overriding method settings" (api-gateway-caching.html). So a method's own setting
 * decides for it; otherwise the stage-wide one (star/star) decides for GET only, and with no setting at all GET
 * requests are cached with the default TTL. A TTL of 0 means caching is disabled.
 */
function methodCaching(own: MethodSetting | undefined, all: MethodSetting | undefined, httpMethod: string): MethodCaching | null {
  let s: MethodSetting;
  if (own) {
    if (own.cachingEnabled !== true) return null;
    s = own;
  } else if (httpMethod !== 'GET') return null;
  else if (all) {
    if (all.cachingEnabled !== true) return null;
    s = all;
  } else s = {};
  const ttl = s.cacheTtlInSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  if (ttl <= 0) return null;
  return {
    ttlMs: ttl * 1000,
    encrypted: s.cacheDataEncrypted === true,
    requireAuthorization: s.requireAuthorizationForCacheControl !== false,
    unauthorizedStrategy: s.unauthorizedCacheControlHeaderStrategy ?? 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}
