// GetUsage and UpdateUsage: a usage plan's per-key daily usage and the quota left, read from the traffic counters
// (src/traffic), which count what the data plane admits. Usage answers carry, per API key, one `[used, remaining]`
// pair per day from startDate to endDate (inclusive, UTC): `used` the requests admitted that day, `remaining` what
// the key's quota had left at the end of that day in the quota period the day belongs to (the shape AWS answers:
// `{"usagePlanId","startDate","endDate","values":{"keyId":[[137,999863],[123,999740]]}}`, remaining falling by each
// day's use). A plan without a quota reports 0 remaining.
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { UsagePlan, UsagePlanKey } from '../store/entities.ts';
import type { Traffic } from '../traffic/traffic.ts';
import type { Counters } from '../traffic/counters.ts';
import { DAY_MS, periodAt, utcDay, utcMidnight, type QuotaPeriod } from '../traffic/quota-period.ts';
import { paginate } from './pagination.ts';
import { integerValue, invalidPatchPath, parsePatchOperations, unsupportedOpForPath } from './patch.ts';
import { requireUsagePlan } from './usage-plans-keys.ts';

/** The longest range one GetUsage answers (days). */
const MAX_DAYS = 366;

function counters(ctx: OperationContext): Counters {
  const traffic = ctx.services.traffic as Traffic | undefined;
  if (!traffic) throw new Error('the traffic counters are not running');
  return traffic.counters;
}

/** A `yyyy-MM-dd` date as epoch ms at 00:00 UTC. */
function parseDate(value: string, name: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || utcDay(ms) !== value) {
    throw new BadRequestException(`Invalid ${name}: ${value}. Dates must be in the format yyyy-MM-dd`);
  }
  return ms;
}

function quotaOf(plan: UsagePlan): { limit: number; period: QuotaPeriod; offset: number } | undefined {
  const q = plan.quota;
  return q && q.limit !== undefined && q.period !== undefined ? { limit: q.limit, period: q.period as QuotaPeriod, offset: q.offset ?? 0 } : undefined;
}

/**
 * `[used, remaining]` per day from `from` to `to` (epoch ms at 00:00 UTC) for one key. Remaining is the quota's
 * limit minus what was counted in the day's period up to the end of that day; in the current period the count is the
 * counters' own (which UpdateUsage may have changed), minus the days after.
 */
async function keyUsage(c: Counters, usageId: string, plan: UsagePlan, from: number, to: number, now: number): Promise<number[][]> {
  const quota = quotaOf(plan);
  // Days before `from` in its quota period count towards that period's remaining quota.
  const first = quota ? Math.min(from, periodAt(quota.period, quota.offset, from).start) : from;
  const today = utcMidnight(now);
  const last = Math.max(to, quota ? Math.min(today, periodAt(quota.period, quota.offset, to).end - DAY_MS) : to);
  const days: string[] = [];
  for (let d = first; d <= last; d += DAY_MS) days.push(utcDay(d));
  const used = await c.dailyUsage(usageId, days);
  const current = quota ? periodAt(quota.period, quota.offset, now) : undefined;
  const currentCount = current ? await c.quotaUsed(usageId, current.start) : 0;
  const out: number[][] = [];
  for (let d = from, i = (from - first) / DAY_MS; d <= to; d += DAY_MS, i++) {
    let remaining = 0;
    if (quota) {
      const period = periodAt(quota.period, quota.offset, d);
      let counted = 0;
      if (current && period.start === current.start) {
        // The current period: the live count minus what was used on the days after this one (up to today).
        counted = currentCount;
        for (let j = i + 1; j < days.length && first + j * DAY_MS <= today; j++) counted -= used[j]!;
      } else {
        for (let j = (period.start - first) / DAY_MS; j <= i; j++) if (j >= 0) counted += used[j]!;
      }
      remaining = Math.max(0, quota.limit - counted);
    }
    out.push([used[i]!, remaining]);
  }
  return out;
}

async function GetUsage(input: OperationInput, ctx: OperationContext) {
  const { plan, keys } = await ctx.db.read(async (tx) => {
    const plan = await requireUsagePlan(tx, input.usagePlanId);
    const keys = (await tx.list<UsagePlanKey>('usageplankeys', `${plan.id}/`)).map((e) => e.value.id);
    return { plan, keys };
  });
  const from = parseDate(input.startDate, 'startDate');
  const to = parseDate(input.endDate, 'endDate');
  if (to < from) throw new BadRequestException('The endDate must not be before the startDate');
  if ((to - from) / DAY_MS + 1 > MAX_DAYS) throw new BadRequestException(`The date range must not exceed ${MAX_DAYS} days`);
  let ids = keys.sort();
  if (input.keyId !== undefined) {
    if (!ids.includes(input.keyId)) throw new NotFoundException('Invalid Usage Plan Key identifier specified');
    ids = [input.keyId];
  }
  const page = paginate(ids, input);
  const c = counters(ctx);
  const now = ctx.now().getTime();
  const values: Record<string, number[][]> = {};
  for (const keyId of page.items) values[keyId] = await keyUsage(c, `${ctx.region}/${plan.id}/${keyId}`, plan, from, to, now);
  const out: Record<string, unknown> = { usagePlanId: plan.id, startDate: input.startDate, endDate: input.endDate };
  if (page.position !== undefined) out.position = page.position;
  out.items = values;
  return out;
}

/**
 * UpdateUsage: `replace /remaining` sets what the key's quota has left in the current period (a temporary extension
 * or reduction; the next period starts from the plan's limit again). Answers the key's usage of today.
 */
async function UpdateUsage(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  const plan = await ctx.db.read(async (tx) => {
    const plan = await requireUsagePlan(tx, input.usagePlanId);
    if (!(await tx.get('usageplankeys', `${plan.id}/${input.keyId}`))) throw new NotFoundException('Invalid Usage Plan Key identifier specified');
    return plan;
  });
  const quota = quotaOf(plan);
  let remaining: number | undefined;
  for (const p of ops) {
    if (p.path !== '/remaining') throw invalidPatchPath(p, ['/remaining']);
    if (p.op !== 'replace') throw unsupportedOpForPath(p);
    remaining = integerValue(p);
    if (remaining < 0) throw new BadRequestException(`Invalid value '${remaining}' for integer field '/remaining'`);
  }
  if (remaining !== undefined && !quota) throw new BadRequestException(`Usage plan ${plan.id} has no quota to update`);
  const c = counters(ctx);
  const now = ctx.now().getTime();
  const usageId = `${ctx.region}/${plan.id}/${input.keyId}`;
  if (remaining !== undefined && quota) await c.setQuotaUsed(usageId, periodAt(quota.period, quota.offset, now).start, quota.limit - remaining);
  const today = utcMidnight(now);
  const day = utcDay(today);
  return { usagePlanId: plan.id, startDate: day, endDate: day, items: { [input.keyId]: await keyUsage(c, usageId, plan, today, today, now) } };
}

export const handlers: HandlerTable = { GetUsage, UpdateUsage };
