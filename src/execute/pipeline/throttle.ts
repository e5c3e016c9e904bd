// Step 6 of DESIGN.md's list: throttling (usage plan per method or plan, stage per method, account) and the API
// key's quota, decided by one call to the traffic counters (src/traffic). Over a limit: 429 THROTTLED
// `{"message":"Too Many Requests"}`; quota used up: 429 QUOTA_EXCEEDED `{"message":"Limit Exceeded"}` (both
// customisable gateway responses). Synchronous with the in-process counters.
import type { Routed } from '../invocation.ts';
import { ADMITTED, QUOTA_EXCEEDED, type TakeResult } from '../../traffic/counters.ts';
import { QuotaExceededError, ThrottledError } from '../responses/gateway-errors.ts';

export function throttle(inv: Routed): void | Promise<void> {
  const { limits, counters } = inv.env.traffic;
  const request = limits.requestFor(inv.stage, inv.method.resource.path, inv.method.httpMethod, inv.apiKey, inv.startedAt);
  const result = counters.take(request, inv.startedAt);
  if (typeof result !== 'number') return result.then(judge);
  if (result !== ADMITTED) judge(result);
}

function judge(result: TakeResult): void {
  if (result === ADMITTED) return;
  if (result === QUOTA_EXCEEDED) throw new QuotaExceededError();
  throw new ThrottledError();
}
