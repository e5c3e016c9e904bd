// The API keys the data plane accepts, held in memory so that checking a key reads no store: per region, each
// enabled key's value → its id and the usage plan that admits it on each API stage. Built from the store on first
// use in a region and dropped on every committed write to API keys, usage plans or their keys, so a key disabled,
// deleted or taken out of a plan is refused by the next request (usage plans and keys are not part of a deployment:
// on AWS they apply without redeploying).
//
// The store unavailable (scale-out: PostgreSQL restarting, docs/scale-out.md): a region whose reload fails is
// served from the directory loaded last, retried after STALE_RETRY_MS. To keep that copy as fresh as possible, a
// region already in use is reloaded at once when a commit drops it, not at its next request: a key disabled just
// before the database went away is refused, unless the outage began within the few milliseconds of that reload.
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../store/entities.ts';
import type { Store } from '../../store/store.ts';
import { scopedStore } from '../../store/scoped.ts';

/** An enabled API key and, per API id and stage name, the one usage plan that has it and covers that stage. */
export interface AdmittedKey {
  readonly id: string;
  readonly value: string;
  readonly plans: ReadonlyMap<string, ReadonlyMap<string, UsagePlan>>;
}

/** One region's enabled keys by value. */
export type RegionKeys = ReadonlyMap<string, AdmittedKey>;

const WATCHED = ['apikeys', 'usageplans', 'usageplankeys'];
/** After a failed reload, how long the last loaded directory is served before the store is asked again. */
export const STALE_RETRY_MS = 1000;

export class ApiKeyDirectory {
  readonly #store: Store;
  readonly #regions = new Map<string, RegionKeys | Promise<RegionKeys>>();
  /** Each region's last loaded directory, for when the store cannot be read. */
  readonly #lastLoaded = new Map<string, RegionKeys>();
  readonly #unsubscribe: () => void;

  constructor(store: Store) {
    this.#store = store;
    this.#unsubscribe = store.onCommit((collections) => {
      if (!WATCHED.some((c) => collections.has(c))) return;
      this.#regions.clear();
      this.#reloadInUse();
    });
  }

  #reloading = false;
  #reloadAgain = false;

  /** Reloads the regions in use; one reload at a time (many keys created in a row cost a reload per batch, not each). */
  #reloadInUse(): void {
    if (this.#reloading) {
      this.#reloadAgain = true;
      return;
    }
    this.#reloading = true;
    const regions = [...this.#lastLoaded.keys()].map((region) => Promise.resolve(this.region(region)).catch(() => undefined));
    void Promise.all(regions).then(() => {
      this.#reloading = false;
      if (this.#reloadAgain) {
        this.#reloadAgain = false;
        this.#reloadInUse();
      }
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The region's enabled keys by value. Synchronous once loaded (until the next write to keys or plans). */
  region(region: string): RegionKeys | Promise<RegionKeys> {
    const hit = this.#regions.get(region);
    if (hit !== undefined) return hit;
    const loading = this.#load(region).then(
      (keys) => {
        // Only if no commit cleared the directory meanwhile (that load may have read the old state).
        if (this.#regions.get(region) === loading) {
          this.#regions.set(region, keys);
          this.#lastLoaded.set(region, keys);
        }
        return keys;
      },
      (e) => {
        const last = this.#lastLoaded.get(region);
        if (this.#regions.get(region) === loading) {
          if (last === undefined) this.#regions.delete(region);
          else {
            this.#regions.set(region, last);
            setTimeout(() => this.#regions.get(region) === last && this.#regions.delete(region), STALE_RETRY_MS).unref();
          }
        }
        if (last === undefined) throw e;
        return last;
      },
    );
    this.#regions.set(region, loading);
    return loading;
  }

  async #load(region: string): Promise<RegionKeys> {
    const { keys, plans, planKeys } = await scopedStore(this.#store, region).read(async (tx) => ({
      keys: await tx.list<ApiKey>('apikeys'),
      plans: await tx.list<UsagePlan>('usageplans'),
      planKeys: await tx.list<UsagePlanKey>('usageplankeys'),
    }));
    return buildRegionKeys(
      keys.map((e) => e.value),
      plans.map((e) => e.value),
      planKeys.map((e) => e.key),
    );
  }
}

/** `planKeys`: usage plan key store keys, `{planId}/{keyId}`. */
export function buildRegionKeys(keys: ApiKey[], plans: UsagePlan[], planKeys: string[]): RegionKeys {
  const planById = new Map(plans.map((p) => [p.id, p]));
  const plansOfKey = new Map<string, UsagePlan[]>();
  for (const k of planKeys) {
    const slash = k.indexOf('/');
    const plan = planById.get(k.slice(0, slash));
    if (!plan) continue;
    const keyId = k.slice(slash + 1);
    const list = plansOfKey.get(keyId);
    if (list) list.push(plan);
    else plansOfKey.set(keyId, [plan]);
  }
  const out = new Map<string, AdmittedKey>();
  for (const key of keys) {
    if (!key.enabled) continue;
    const byApi = new Map<string, Map<string, UsagePlan>>();
    for (const plan of plansOfKey.get(key.id) ?? []) {
      for (const s of plan.apiStages ?? []) {
        if (!s.apiId || !s.stage) continue;
        let stages = byApi.get(s.apiId);
        if (!stages) byApi.set(s.apiId, (stages = new Map()));
        // The control plane keeps a key out of two plans sharing a stage; should stored data say otherwise, the
        // first plan by id wins, deterministically.
        if (!stages.has(s.stage)) stages.set(s.stage, plan);
      }
    }
    out.set(key.value, { id: key.id, value: key.value, plans: byApi });
  }
  return out;
}
