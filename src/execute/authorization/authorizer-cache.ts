// The Lambda authorizer result cache: per API stage and authorizer, keyed by the identity source values, each
// result kept for the authorizer's authorizerResultTtlInSeconds (0: never cached). The cached result is the policy,
// not a decision: every request re-matches it against its own method ARN (AuthorizerResult + `decisions`, the
// per-method-ARN decisions memoised on the entry). FlushStageAuthorizersCache empties one stage.
// It reads the process's clock (`createGatehouse`'s injectable `now`): tests move time forward instead of sleeping.
import type { AuthorizerDecision, AuthorizerResult } from './authorizer-output.ts';

/**
 * Entries and bytes (the function's output plus the identity values) kept per stage and authorizer; the oldest are
 * dropped first, so neither a flood of distinct tokens nor large outputs can grow memory without bound. A result
 * larger than the whole budget is used but not kept.
 */
export const MAX_ENTRIES_PER_AUTHORIZER = 10_000;
export const MAX_BYTES_PER_AUTHORIZER = 32 * 1024 * 1024;
/** Method ARNs remembered per entry (a greedy path can name unboundedly many). */
const MAX_DECISIONS_PER_ENTRY = 64;

export interface CachedResult {
  readonly result: AuthorizerResult;
  readonly expiresAt: number;
  readonly decisions: Map<string, AuthorizerDecision>;
  /** What it counts against MAX_BYTES_PER_AUTHORIZER. */
  readonly bytes: number;
}

/** One stage's results of one authorizer, oldest first. */
interface Entries {
  readonly byIdentity: Map<string, CachedResult>;
  bytes: number;
}

export class AuthorizerCache {
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  /** `{apiId}/{stage}` → `{authorizerId}` → its entries. */
  readonly #stages = new Map<string, Map<string, Entries>>();

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  get(apiId: string, stage: string, authorizerId: string, identity: string): CachedResult | undefined {
    const entries = this.#stages.get(`${apiId}/${stage}`)?.get(authorizerId);
    const hit = entries?.byIdentity.get(identity);
    if (hit === undefined) return undefined;
    if (hit.expiresAt <= this.clock()) {
      remove(entries!, identity);
      return undefined;
    }
    return hit;
  }

  /** Keeps `result` (whose output was `outputBytes` long) for `ttlSeconds`; returns the entry either way. */
  set(apiId: string, stage: string, authorizerId: string, identity: string, result: AuthorizerResult, ttlSeconds: number, outputBytes = 0): CachedResult {
    const entry: CachedResult = { result, expiresAt: this.clock() + ttlSeconds * 1000, decisions: new Map(), bytes: outputBytes + identity.length * 2 };
    if (entry.bytes > MAX_BYTES_PER_AUTHORIZER) return entry;
    const stageKey = `${apiId}/${stage}`;
    let byAuthorizer = this.#stages.get(stageKey);
    if (!byAuthorizer) this.#stages.set(stageKey, (byAuthorizer = new Map()));
    let entries = byAuthorizer.get(authorizerId);
    if (!entries) byAuthorizer.set(authorizerId, (entries = { byIdentity: new Map(), bytes: 0 }));
    remove(entries, identity);
    while (entries.byIdentity.size >= MAX_ENTRIES_PER_AUTHORIZER || entries.bytes + entry.bytes > MAX_BYTES_PER_AUTHORIZER) {
      remove(entries, entries.byIdentity.keys().next().value!);
    }
    entries.byIdentity.set(identity, entry);
    entries.bytes += entry.bytes;
    return entry;
  }

  /** FlushStageAuthorizersCache. */
  flushStage(apiId: string, stage: string): void {
    this.#stages.delete(`${apiId}/${stage}`);
  }

  /** Every stage's results (a node that may have missed another node's flush: src/redis/cluster-events.ts). */
  clear(): void {
    this.#stages.clear();
  }

  /** Entries held for one stage and authorizer (tests, diagnostics). */
  size(apiId: string, stage: string, authorizerId: string): number {
    return this.#stages.get(`${apiId}/${stage}`)?.get(authorizerId)?.byIdentity.size ?? 0;
  }
}

function remove(entries: Entries, identity: string): void {
  const old = entries.byIdentity.get(identity);
  if (old === undefined) return;
  entries.byIdentity.delete(identity);
  entries.bytes -= old.bytes;
}

/** The decision for one method ARN, memoised on the cached entry. */
export function decisionFor(entry: CachedResult, methodArn: string, decide: (arn: string) => AuthorizerDecision): AuthorizerDecision {
  let d = entry.decisions.get(methodArn);
  if (d === undefined) {
    d = decide(methodArn);
    if (entry.decisions.size < MAX_DECISIONS_PER_ENTRY) entry.decisions.set(methodArn, d);
  }
  return d;
}
