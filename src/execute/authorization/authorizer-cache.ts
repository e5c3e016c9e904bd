// The Lambda authorizer result cache: per API stage and authorizer, keyed by the identity source values, each
// result kept for the authorizer's authorizerResultTtlInSeconds (0: never cached). The cached result is the policy,
// not a decision: every request re-matches it against its own method ARN (AuthorizerResult + `decisions`, the
// per-method-ARN decisions memoised on the entry). FlushStageAuthorizersCache empties one stage.
// It reads the process's clock (`createGatehouse`'s injectable `now`): tests move time forward instead of sleeping.
import type { AuthorizerDecision, AuthorizerResult } from './authorizer-output.ts';

/** Entries kept per stage and authorizer; the oldest are dropped first (a flood of distinct tokens cannot grow memory). */
export const MAX_ENTRIES_PER_AUTHORIZER = 10_000;
/** Method ARNs remembered per entry (a greedy path can name unboundedly many). */
const MAX_DECISIONS_PER_ENTRY = 64;

export interface CachedResult {
  readonly result: AuthorizerResult;
  readonly expiresAt: number;
  readonly decisions: Map<string, AuthorizerDecision>;
}

export class AuthorizerCache {
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  /** `{apiId}/{stage}` → `{authorizerId}` → identity key → entry. */
  readonly #stages = new Map<string, Map<string, Map<string, CachedResult>>>();

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  get(apiId: string, stage: string, authorizerId: string, identity: string): CachedResult | undefined {
    const entries = this.#stages.get(`${apiId}/${stage}`)?.get(authorizerId);
    const hit = entries?.get(identity);
    if (hit === undefined) return undefined;
    if (hit.expiresAt <= this.clock()) {
      entries!.delete(identity);
      return undefined;
    }
    return hit;
  }

  set(apiId: string, stage: string, authorizerId: string, identity: string, result: AuthorizerResult, ttlSeconds: number): CachedResult {
    const entry: CachedResult = { result, expiresAt: this.clock() + ttlSeconds * 1000, decisions: new Map() };
    const stageKey = `${apiId}/${stage}`;
    let byAuthorizer = this.#stages.get(stageKey);
    if (!byAuthorizer) this.#stages.set(stageKey, (byAuthorizer = new Map()));
    let entries = byAuthorizer.get(authorizerId);
    if (!entries) byAuthorizer.set(authorizerId, (entries = new Map()));
    entries.delete(identity);
    if (entries.size >= MAX_ENTRIES_PER_AUTHORIZER) entries.delete(entries.keys().next().value!);
    entries.set(identity, entry);
    return entry;
  }

  /** FlushStageAuthorizersCache. */
  flushStage(apiId: string, stage: string): void {
    this.#stages.delete(`${apiId}/${stage}`);
  }

  /** Entries held for one stage and authorizer (tests, diagnostics). */
  size(apiId: string, stage: string, authorizerId: string): number {
    return this.#stages.get(`${apiId}/${stage}`)?.get(authorizerId)?.size ?? 0;
  }
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
