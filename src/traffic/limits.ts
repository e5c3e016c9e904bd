// Which limits apply to a request, in the order API Gateway's developer guide gives ("How throttling limit settings
// are applied in API Gateway"): the usage plan's per-client limits for the method, else for the plan; the stage's
// per-method limits (its `*/*` settings merged with the method's own); the account's limit in the region. Each is a
// token bucket and a request must find a token in every one, so the strictest applicable limit decides. Then the
// API key's quota in its plan.
//
// Bucket scopes: the account bucket is shared by every API of the region; a stage's limits apply per method (each
// method of the stage has its own bucket with the merged settings); a usage plan's limits apply per API key. A
// per-method limit in the plan (`apiStages[].throttle["/pets/GET"]`) replaces the plan-wide one for that method
// (its own bucket per key), as a method setting replaces the stage's `*/*`.
//
// Everything here is derived once per stage runtime, usage plan and method and cached; per request only the
// API key's bucket ids are built.
import type { MethodSetting, ThrottleSettings, UsagePlan } from '../store/entities.ts';
import type { BucketLimit, QuotaLimit, TakeRequest } from './counters.ts';
import { PeriodCache, type QuotaPeriod } from './quota-period.ts';
import { MethodMemo } from '../store/method-memo.ts';

/** The account-level limit (AWS's default; `gatehouse serve --account-throttle RATE:BURST`). */
export interface AccountThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export const DEFAULT_ACCOUNT_THROTTLE: AccountThrottle = { rateLimit: 10_000, burstLimit: 5_000 };

/** The stage a request is for (the data plane's StageRuntime is one); its identity keys the cached stage limits. */
export interface LimitedStage {
  readonly region: string;
  readonly apiId: string;
  readonly stageName: string;
  methodSetting(resourcePath: string, httpMethod: string): MethodSetting;
}

/** The API key a request used and the usage plan admitting it on this stage. */
export interface KeyInPlan {
  readonly id: string;
  readonly usagePlan: UsagePlan;
}

interface PlanLimits {
  /** Per method of a stage (`{apiId}/{stage}/{path}/{VERB}`): the throttle applying and whether it is method-specific. */
  readonly methods: Map<string, { throttle: ThrottleSettings | undefined; perMethod: boolean }>;
  readonly quota: { limit: number; period: QuotaPeriod; offset: number } | undefined;
}

/** A throttle setting as a bucket's rate and burst; undefined when it limits nothing. */
function rateAndBurst(rate: number | undefined, burst: number | undefined): { rate: number; burst: number } | undefined {
  // Only a rate or only a burst: the other one does not constrain (a burst of one second's worth, an endless refill).
  if (rate === undefined && burst === undefined) return undefined;
  if (rate === undefined) return { rate: Number.POSITIVE_INFINITY, burst: burst! };
  return { rate, burst: burst ?? Math.max(1, rate) };
}

export class Limits {
  readonly #account: AccountThrottle;
  readonly #periods = new PeriodCache();
  readonly #accountBuckets = new Map<string, BucketLimit>();
  /** Per stage runtime and method: the stage's bucket and the whole request of a call without an API key. */
  readonly #stageMethods = new WeakMap<object, MethodMemo<{ bucket: BucketLimit | null; keyless: TakeRequest }>>();
  readonly #plans = new WeakMap<UsagePlan, PlanLimits>();

  constructor(account: AccountThrottle = DEFAULT_ACCOUNT_THROTTLE) {
    this.#account = account;
  }

  get account(): AccountThrottle {
    return this.#account;
  }

  /** The buckets and quota for one request at `now` (epoch ms). */
  requestFor(stage: LimitedStage, resourcePath: string, httpMethod: string, key: KeyInPlan | undefined, now: number): TakeRequest {
    const stageMethod = this.#stageMethod(stage, resourcePath, httpMethod);
    if (key === undefined) return stageMethod.keyless;
    const buckets: BucketLimit[] = [];
    const plan = this.#planLimits(key.usagePlan);
    const usageId = `${stage.region}/${key.usagePlan.id}/${key.id}`;
    const methodKey = `${stage.apiId}/${stage.stageName}/${resourcePath}/${httpMethod}`;
    let m = plan.methods.get(methodKey);
    if (m === undefined) {
      m = planThrottleFor(key.usagePlan, stage, resourcePath, httpMethod);
      plan.methods.set(methodKey, m);
    }
    const rb = m.throttle && rateAndBurst(m.throttle.rateLimit, m.throttle.burstLimit);
    if (rb) buckets.push({ id: m.perMethod ? `plan/${usageId}/${methodKey}` : `plan/${usageId}`, rate: rb.rate, burst: rb.burst });
    if (stageMethod.bucket) buckets.push(stageMethod.bucket);
    buckets.push(this.#accountBucket(stage.region));
    const quota: QuotaLimit | undefined = plan.quota && {
      limit: plan.quota.limit,
      periodStart: this.#periods.window(plan.quota.period, plan.quota.offset, now).start,
    };
    return { buckets, usageId, day: this.#periods.day(now), quota };
  }

  #accountBucket(region: string): BucketLimit {
    let b = this.#accountBuckets.get(region);
    if (!b) {
      b = { id: `account/${region}`, rate: this.#account.rateLimit, burst: this.#account.burstLimit };
      this.#accountBuckets.set(region, b);
    }
    return b;
  }

  #stageMethod(stage: LimitedStage, resourcePath: string, httpMethod: string): { bucket: BucketLimit | null; keyless: TakeRequest } {
    let ofStage = this.#stageMethods.get(stage);
    if (!ofStage) this.#stageMethods.set(stage, (ofStage = new MethodMemo()));
    const entry = ofStage.get(resourcePath, httpMethod);
    if (entry !== undefined) return entry;
    const s = stage.methodSetting(resourcePath, httpMethod);
    const rb = rateAndBurst(s.throttlingRateLimit, s.throttlingBurstLimit);
    const bucket = rb ? { id: `stage/${stage.region}/${stage.apiId}/${stage.stageName}/${resourcePath}/${httpMethod}`, rate: rb.rate, burst: rb.burst } : null;
    const account = this.#accountBucket(stage.region);
    return ofStage.set(resourcePath, httpMethod, { bucket, keyless: { buckets: bucket ? [bucket, account] : [account] } });
  }

  #planLimits(plan: UsagePlan): PlanLimits {
    let p = this.#plans.get(plan);
    if (!p) {
      const q = plan.quota;
      p = {
        methods: new Map(),
        quota: q && q.limit !== undefined && q.period !== undefined ? { limit: q.limit, period: q.period as QuotaPeriod, offset: q.offset ?? 0 } : undefined,
      };
      this.#plans.set(plan, p);
    }
    return p;
  }
}

/** The plan's throttle for a method: its per-method entry for this API stage (`/pets/GET`, else `/pets/*`), else the plan's. */
function planThrottleFor(
  plan: UsagePlan,
  stage: LimitedStage,
  resourcePath: string,
  httpMethod: string,
): { throttle: ThrottleSettings | undefined; perMethod: boolean } {
  const apiStage = plan.apiStages?.find((s) => s.apiId === stage.apiId && s.stage === stage.stageName);
  const perMethod = apiStage?.throttle?.[`${resourcePath}/${httpMethod}`] ?? apiStage?.throttle?.[`${resourcePath}/*`];
  return perMethod ? { throttle: perMethod, perMethod: true } : { throttle: plan.throttle, perMethod: false };
}
