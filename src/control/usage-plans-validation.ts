// The rules a usage plan's throttle, quota and API stages obey (AWS API reference: UsagePlan, ApiStage,
// ThrottleSettings, QuotaSettings).
import { BadRequestException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { ThrottleSettings, UsagePlan } from '../store/entities.ts';

type ApiStage = NonNullable<UsagePlan['apiStages']>[number];
type Quota = NonNullable<UsagePlan['quota']>;

const VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY', '*']);

export function validateThrottle(t: ThrottleSettings | undefined, where = 'throttle'): void {
  if (!t) return;
  if (t.burstLimit !== undefined && (!Number.isInteger(t.burstLimit) || t.burstLimit < 0)) {
    throw new BadRequestException(`Invalid ${where} burst limit: ${t.burstLimit}. It must be a non-negative integer`);
  }
  if (t.rateLimit !== undefined && (!Number.isFinite(t.rateLimit) || t.rateLimit < 0)) {
    throw new BadRequestException(`Invalid ${where} rate limit: ${t.rateLimit}. It must be a non-negative number`);
  }
}

// Quota periods start at an offset: DAY has none, WEEK counts days from Sunday (0..6), MONTH days from the 1st (0..27).
const MAX_OFFSET: Record<string, number> = { DAY: 0, WEEK: 6, MONTH: 27 };

export function validateQuota(q: Quota | undefined): void {
  if (!q) return;
  if (q.period === undefined) throw new BadRequestException('Quota period must be specified: one of DAY, WEEK, MONTH');
  if (!(q.period in MAX_OFFSET)) throw new BadRequestException(`Invalid quota period: ${q.period}. Must be one of: [DAY, WEEK, MONTH]`);
  if (q.limit === undefined || !Number.isInteger(q.limit) || q.limit < 0) {
    throw new BadRequestException(`Invalid quota limit: ${q.limit ?? 'null'}. It must be a non-negative integer`);
  }
  const offset = q.offset ?? 0;
  const max = MAX_OFFSET[q.period]!;
  if (!Number.isInteger(offset) || offset < 0 || offset > max) {
    throw new BadRequestException(
      max === 0 ? `Quota offset must be 0 for the ${q.period} period` : `Quota offset must be between 0 and ${max} for the ${q.period} period`,
    );
  }
}

/** Per-method throttle keys are `{resourcePath}/{httpMethod}`, e.g. `/pets/GET`, `/GET` for the root resource. */
export function validateMethodThrottleKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const path = key.slice(0, slash);
  const verb = key.slice(slash + 1);
  if (!key.startsWith('/') || (path !== '' && !path.startsWith('/')) || !VERBS.has(verb)) {
    throw new BadRequestException(`Invalid method throttle key specified: ${key}. Keys must be of the form {resourcePath}/{httpMethod}`);
  }
}

/**
 * Per-method throttles (`apiStages[].throttle`) need the plan's own throttle: AWS refuses them otherwise with this
 * BadRequestException text (quoted from AWS in aws/aws-cdk#6411). Checked on the plan as it would be stored, so
 * removing `/throttle` while method throttles remain is refused too.
 */
export function validateFineGrainThrottle(plan: UsagePlan): void {
  if (plan.throttle) return;
  if ((plan.apiStages ?? []).some((s) => s.throttle && Object.keys(s.throttle).length > 0)) {
    throw new BadRequestException('Can not define fine grain throttling if usage plan throttle is not defined.');
  }
}

export function stageId(s: ApiStage): string {
  return `${s.apiId}:${s.stage}`;
}

/**
 * An API stage must name an existing API and one of its stages. AWS answers a missing or unknown one with this
 * text, its format placeholders unfilled (reported in aws/aws-sdk#354 and aws/aws-cdk#6169, BadRequestException).
 */
export async function validateApiStage(tx: Tx, s: ApiStage): Promise<void> {
  const invalid = () => new BadRequestException('Invalid API Stage {api: %s, stage: %s} specified for usageplan %s');
  if (!s.apiId || !s.stage) throw invalid();
  if (!(await tx.get('restapis', s.apiId))) throw invalid();
  if (!(await tx.get('stages', `${s.apiId}/${s.stage}`))) throw invalid();
  for (const [key, t] of Object.entries(s.throttle ?? {})) {
    validateMethodThrottleKey(key);
    validateThrottle(t, `method ${key}`);
  }
}

export async function validateApiStages(tx: Tx, stages: ApiStage[]): Promise<void> {
  const seen = new Set<string>();
  for (const s of stages) {
    await validateApiStage(tx, s);
    if (seen.has(stageId(s))) throw new BadRequestException(`Duplicate API stage specified: ${stageId(s)}`);
    seen.add(stageId(s));
  }
}
