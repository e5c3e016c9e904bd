// Sizes the stage cache works with, from AWS's documentation of API caching
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).

/** "The maximum size of a response that can be cached is 1048576 bytes." Larger responses are served, not stored. */
export const MAX_CACHED_RESPONSE_BYTES = 1_048_576;

/** The stage's byte budget: cacheClusterSize is in GB ('0.5' … '237'), taken as GiB of entry bytes here. */
export function cacheBudgetBytes(cacheClusterSize: string | undefined): number {
  const gb = Number(cacheClusterSize ?? '0.5');
  return Math.floor((Number.isFinite(gb) && gb > 0 ? gb : 0.5) * 1024 ** 3);
}

/** TTL default and bounds (method setting caching/ttlInSeconds). */
export const DEFAULT_CACHE_TTL_SECONDS = 300;
export const MAX_CACHE_TTL_SECONDS = 3600;
