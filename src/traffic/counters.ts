// The traffic counters behind throttling, quotas and usage (issue 11): token buckets, quota counters and daily usage
// records. One interface, two adapters: in-process (./in-process-counters.ts, the default) and, for scale-out, a
// shared server. Every operation a request needs is ONE call (`take`): it refills and checks every applicable bucket
// and the quota at once and either admits the request (taking a token from each bucket, counting it against the
// quota and recording its usage) or refuses it and says which limit refused, consuming nothing. A remote adapter
// runs it as one atomic script (e.g. a Redis Lua script: one round trip per request).
// The behaviour every adapter must have is pinned by test/traffic/counters-suite.ts.

/** A token bucket: `burst` tokens at most, refilled at `rate` tokens per second; a request takes one token. */
export interface BucketLimit {
  /** Identifies the bucket's state (e.g. `stage/us-east-1/abc123/prod//pets/GET`). */
  readonly id: string;
  /** Tokens added per second. */
  readonly rate: number;
  /** Bucket capacity; a new (or long idle) bucket is full. Below 1, nothing is ever admitted. */
  readonly burst: number;
}

/** A quota on an API key in a usage plan: at most `limit` admitted requests in the period starting at `periodStart`. */
export interface QuotaLimit {
  readonly limit: number;
  /** Epoch ms (00:00 UTC) when the current period started; a different start begins a new count. */
  readonly periodStart: number;
}

/** What one request asks of the counters. */
export interface TakeRequest {
  /** Buckets in AWS's order of application (usage plan, stage method, account); the first refusing one is reported. */
  readonly buckets: readonly BucketLimit[];
  /** The API key's usage record id within its plan (`{region}/{planId}/{keyId}`): usage is recorded when set. */
  readonly usageId?: string;
  /** The UTC day (`YYYY-MM-DD`) the request's usage is recorded under. */
  readonly day?: string;
  /** The key's quota in its plan (needs usageId). */
  readonly quota?: QuotaLimit;
}

/** `take` answered: admitted. */
export const ADMITTED = -1;
/** `take` answered: the quota is used up (QUOTA_EXCEEDED). */
export const QUOTA_EXCEEDED = -2;
/**
 * ADMITTED, QUOTA_EXCEEDED, or the index in `buckets` of the bucket that refused (THROTTLED). A number, so the
 * in-process answer allocates nothing.
 */
export type TakeResult = number;

export interface Counters {
  /** Decides one request atomically (see the file comment); synchronous where the adapter can be. */
  take(request: TakeRequest, now: number): TakeResult | Promise<TakeResult>;
  /** Admitted requests per day for a usage record id, for each of `days` (`YYYY-MM-DD`), 0 where none. */
  dailyUsage(usageId: string, days: readonly string[]): Promise<number[]>;
  /** Requests counted against the quota in the period starting at `periodStart` (UpdateUsage may have changed it). */
  quotaUsed(usageId: string, periodStart: number): Promise<number>;
  /** Sets the count of the period starting at `periodStart` (UpdateUsage's `replace /remaining`: limit − remaining). */
  setQuotaUsed(usageId: string, periodStart: number, used: number): Promise<void>;
  /** Makes everything counted so far durable. */
  flush(): Promise<void>;
  /** Forgets all state (dev-mode reset; the store is wiped separately). */
  reset(): void;
  close(): Promise<void>;
}
