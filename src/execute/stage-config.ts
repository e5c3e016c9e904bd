// Finds the stage an execute-api request is for and what it runs: the API's region (global `apiregions` index),
// the stage (variables, method settings, canary) and its deployment, compiled once per deployment id.
// Results are cached; a committed write to stages, deployments, APIs or regions drops the stage cache (so stage
// variable and method-setting changes apply at once, as on AWS), while compiled deployments are kept by id
// (immutable).
import type { MethodSetting, Stage, StoredDeployment } from '../store/entities.ts';
import type { Store } from '../store/store.ts';
import { scopedStore } from '../store/scoped.ts';
import { compileDeployment, type CompiledDeployment } from './compile/deployment.ts';

export interface StageRuntime {
  readonly apiId: string;
  readonly region: string;
  readonly stageName: string;
  readonly deploymentId: string;
  readonly variables: Record<string, string>;
  readonly deployment: CompiledDeployment;
  readonly canary: { percentTraffic: number; deployment: CompiledDeployment; deploymentId: string; variables: Record<string, string> } | undefined;
  /** Whether any method setting of the stage asks for INFO execution logging (most stages: none). */
  readonly infoLogging: boolean;
  /** Effective method settings for a method (stage `*\/*` merged with the method's own). */
  methodSetting(resourcePath: string, httpMethod: string): MethodSetting;
}

const CACHE_LIMIT = 10_000;
const DEPLOYMENT_LIMIT = 1_000;

export class StageDirectory {
  readonly #store: Store;
  /** apiId → stage name → runtime: two lookups instead of building a `${apiId}/${stage}` key per request. */
  readonly #stages = new Map<string, Map<string, StageRuntime | null | Promise<StageRuntime | null>>>();
  #stageCount = 0;
  readonly #deployments = new Map<string, CompiledDeployment>();
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
        if (stages.get(stageName) === loading) stages.set(stageName, r);
        return r;
      },
      (e) => {
        if (stages.get(stageName) === loading) stages.delete(stageName);
        throw e;
      },
    );
    stages.set(stageName, loading);
    this.#stageCount++;
    return loading;
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
      return { stage, main, canary };
    });
    if (!loaded || !loaded.main) return null;
    const { stage, main, canary } = loaded;
    const variables = stage.variables ?? {};
    const settings = stage.methodSettings ?? {};
    const all = settings['*/*'] ?? {};
    const percent = stage.canarySettings?.percentTraffic ?? 0;
    const mergedSettings = new Map<string, MethodSetting>();
    return {
      apiId,
      region: region.region,
      stageName,
      deploymentId: stage.deploymentId,
      variables,
      infoLogging: Object.values(settings).some((s) => s.loggingLevel === 'INFO'),
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
        const key = `${resourcePath}/${httpMethod}`;
        let merged = mergedSettings.get(key);
        if (!merged) {
          // Keys are what the client sent: JSON-pointer encoded (`~1pets/GET`, `~1/GET`) or plain (`pets/{id}/GET`).
          const own = settings[`${resourcePath.replace(/\//g, '~1')}/${httpMethod}`] ?? settings[`${resourcePath.slice(1)}/${httpMethod}`];
          merged = own ? { ...all, ...own } : all;
          mergedSettings.set(key, merged);
        }
        return merged;
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
