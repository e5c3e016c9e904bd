// What a throttle should admit of requests made at known times, for load tests on a busy machine: a pause of the
// client or the server longer than the bucket takes to fill loses that pause's tokens, rightly, so the lower bound of
// a throttle test is what one bucket admits of the requests at the times they were sent or answered.

/** How many requests at `times` (ms, in any order) one token bucket of `rate` per second and `burst` admits, full at first. */
export function tokenBucketAdmits(times: readonly number[], rate: number, burst: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let tokens = burst;
  let admitted = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0) tokens = Math.min(burst, tokens + ((sorted[i]! - sorted[i - 1]!) * rate) / 1000);
    if (tokens >= 1) {
      tokens -= 1;
      admitted++;
    }
  }
  return admitted;
}
