// The stage cache cluster's status as AWS reports it in Stage.cacheClusterStatus. AWS provisions a dedicated cache
// instance ("This process can take up to 4 minutes"); creating it shows CREATE_IN_PROGRESS then AVAILABLE, deleting it
// DELETE_IN_PROGRESS then NOT_AVAILABLE, flushing FLUSH_IN_PROGRESS then AVAILABLE, and a resize deletes the instance
// and creates a new one (all data gone): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html
// Gatehouse's cache is in-process and ready at once, but reports the same sequence so that clients which wait for
// AVAILABLE (Terraform, scripts polling get-stage) see what they see on AWS: each transition lasts
// CACHE_TRANSITION_MS, and, as on AWS, nothing is served from the cache before its creation has completed.
// The stage record keeps the status the last change set and when that transition ends (`cacheClusterTransitionEnds`,
// never shown: stageOutput leaves it out); readers settle it against the clock.

export const CACHE_TRANSITION_MS = 1_000;

export type CacheClusterStatus = 'CREATE_IN_PROGRESS' | 'AVAILABLE' | 'DELETE_IN_PROGRESS' | 'NOT_AVAILABLE' | 'FLUSH_IN_PROGRESS';

export interface CacheClusterFields {
  cacheClusterEnabled?: boolean;
  cacheClusterStatus?: string;
  /** Epoch ms when the in-progress status settles. */
  cacheClusterTransitionEnds?: number;
}

const SETTLES_TO: Readonly<Record<string, CacheClusterStatus>> = {
  CREATE_IN_PROGRESS: 'AVAILABLE',
  FLUSH_IN_PROGRESS: 'AVAILABLE',
  DELETE_IN_PROGRESS: 'NOT_AVAILABLE',
};

/** The status at `now`: an in-progress status whose transition has ended is reported as what it settles to. */
export function cacheClusterStatusAt(stage: CacheClusterFields, now: number): string {
  const status = stage.cacheClusterStatus ?? 'NOT_AVAILABLE';
  const settled = SETTLES_TO[status];
  if (settled === undefined) return status;
  return stage.cacheClusterTransitionEnds === undefined || now >= stage.cacheClusterTransitionEnds ? settled : status;
}

function begin(stage: CacheClusterFields, status: CacheClusterStatus, now: number): void {
  stage.cacheClusterStatus = status;
  stage.cacheClusterTransitionEnds = now + CACHE_TRANSITION_MS;
}

/** A new stage: its cache, if enabled, starts being created. */
export function initialCacheStatus(stage: CacheClusterFields, now: number): void {
  if (stage.cacheClusterEnabled) begin(stage, 'CREATE_IN_PROGRESS', now);
  else {
    stage.cacheClusterStatus = 'NOT_AVAILABLE';
    delete stage.cacheClusterTransitionEnds;
  }
}

/** What a change of cacheClusterEnabled / cacheClusterSize does; returns whether the cached data is gone. */
export function cacheClusterChanged(stage: CacheClusterFields, was: { enabled: boolean; size: string | undefined }, size: string | undefined, now: number): boolean {
  const enabled = stage.cacheClusterEnabled === true;
  if (enabled && !was.enabled) {
    begin(stage, 'CREATE_IN_PROGRESS', now);
    return true;
  }
  if (!enabled && was.enabled) {
    begin(stage, 'DELETE_IN_PROGRESS', now);
    return true;
  }
  if (enabled && size !== was.size) {
    // A resize deletes the cache instance and creates a new one: all cached data is gone.
    begin(stage, 'CREATE_IN_PROGRESS', now);
    return true;
  }
  // Settle a finished transition so the stored record stops carrying it.
  const settled = cacheClusterStatusAt(stage, now);
  if (settled !== stage.cacheClusterStatus || (stage.cacheClusterTransitionEnds !== undefined && now >= stage.cacheClusterTransitionEnds)) {
    stage.cacheClusterStatus = settled;
    delete stage.cacheClusterTransitionEnds;
  }
  return false;
}

/** FlushStageCache on an available cache: FLUSH_IN_PROGRESS for the transition, then AVAILABLE. Returns whether it began. */
export function flushStarted(stage: CacheClusterFields, now: number): boolean {
  if (!stage.cacheClusterEnabled || cacheClusterStatusAt(stage, now) !== 'AVAILABLE') return false;
  begin(stage, 'FLUSH_IN_PROGRESS', now);
  return true;
}

/** Epoch ms from which the data plane may serve from the stage's cache (Infinity: not while the status says so). */
export function cacheServesFrom(stage: CacheClusterFields): number {
  if (!stage.cacheClusterEnabled) return Infinity;
  const status = stage.cacheClusterStatus ?? 'NOT_AVAILABLE';
  if (status === 'CREATE_IN_PROGRESS') return stage.cacheClusterTransitionEnds ?? 0;
  if (status === 'AVAILABLE' || status === 'FLUSH_IN_PROGRESS') return 0;
  // An enabled stage whose record says DELETE_IN_PROGRESS / NOT_AVAILABLE does not exist: be safe, serve nothing.
  return Infinity;
}
