// Quota periods as API Gateway counts them: in UTC, starting at 00:00 on a day boundary. DAY periods start every
// midnight; WEEK periods on the day `offset` days after Sunday (0 = Sunday, 1 = Monday, ... 6 = Saturday); MONTH
// periods on day `offset + 1` of the month (0 = the 1st; at most 27, so the day exists in every month).
// (QuotaSettings.offset: "The day that a time period starts. For example, with a time period of WEEK, an offset
// of 0 starts on Sunday, and an offset of 1 starts on Monday" — the API reference as the SDKs carry it; the
// control plane's usage-plans-validation.ts accepts exactly these ranges.)

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export const DAY_MS = 86_400_000;

/** A quota period: [start, end) in epoch milliseconds. */
export interface PeriodWindow {
  readonly start: number;
  readonly end: number;
}

/** The period of the given kind and offset that contains `now` (epoch ms). */
export function periodAt(period: QuotaPeriod, offset: number, now: number): PeriodWindow {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const midnight = Date.UTC(y, m, d.getUTCDate());
  switch (period) {
    case 'DAY':
      return { start: midnight, end: midnight + DAY_MS };
    case 'WEEK': {
      const back = (d.getUTCDay() - offset + 7) % 7;
      const start = midnight - back * DAY_MS;
      return { start, end: start + 7 * DAY_MS };
    }
    case 'MONTH': {
      // Before this month's start day, the period began in the previous month (Date.UTC carries month -1 to December).
      const startMonth = d.getUTCDate() - 1 >= offset ? m : m - 1;
      return { start: Date.UTC(y, startMonth, 1 + offset), end: Date.UTC(y, startMonth + 1, 1 + offset) };
    }
  }
}

/** 00:00 UTC of the day of an epoch-ms instant. */
export function utcMidnight(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

/** `YYYY-MM-DD` of an epoch-ms instant in UTC: the day a request's usage is recorded under (GetUsage's dates). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The day and quota windows for a stream of instants that mostly move forward: recomputed only when an instant
 * leaves the cached window, so the hot path does no date arithmetic.
 */
export class PeriodCache {
  #dayStart = 0;
  #dayEnd = 0;
  #day = '';
  readonly #windows = new Map<string, PeriodWindow>();

  day(now: number): string {
    if (now < this.#dayStart || now >= this.#dayEnd) {
      this.#dayStart = utcMidnight(now);
      this.#dayEnd = this.#dayStart + DAY_MS;
      this.#day = utcDay(now);
    }
    return this.#day;
  }

  window(period: QuotaPeriod, offset: number, now: number): PeriodWindow {
    const key = `${period}${offset}`;
    let w = this.#windows.get(key);
    if (w === undefined || now < w.start || now >= w.end) {
      w = periodAt(period, offset, now);
      this.#windows.set(key, w);
    }
    return w;
  }
}
