// Quota periods in UTC as API Gateway counts them: DAY from midnight, WEEK from Sunday + offset days, MONTH from day
// offset + 1; across month lengths, leap years and year ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeriodCache, periodAt, utcDay } from '../../src/traffic/quota-period.ts';

const iso = (w: { start: number; end: number }) => [new Date(w.start).toISOString(), new Date(w.end).toISOString()];

test('DAY periods run from 00:00 UTC to the next midnight', () => {
  assert.deepEqual(iso(periodAt('DAY', 0, Date.UTC(2026, 2, 10, 23, 59, 59, 999))), ['2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('DAY', 0, Date.UTC(2026, 2, 11))), ['2026-03-11T00:00:00.000Z', '2026-03-12T00:00:00.000Z']);
});

test('WEEK periods start on Sunday with offset 0, Monday with 1, Saturday with 6', () => {
  // 2026-03-10 is a Tuesday.
  const tue = Date.UTC(2026, 2, 10, 8);
  assert.deepEqual(iso(periodAt('WEEK', 0, tue)), ['2026-03-08T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('WEEK', 1, tue)), ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('WEEK', 2, tue)), ['2026-03-10T00:00:00.000Z', '2026-03-17T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('WEEK', 3, tue)), ['2026-03-04T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('WEEK', 6, tue)), ['2026-03-07T00:00:00.000Z', '2026-03-14T00:00:00.000Z']);
  // The last millisecond of Saturday belongs to the week that began on Sunday; Sunday 00:00 begins the next.
  assert.deepEqual(iso(periodAt('WEEK', 0, Date.UTC(2026, 2, 14, 23, 59, 59, 999))), ['2026-03-08T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('WEEK', 0, Date.UTC(2026, 2, 15))), ['2026-03-15T00:00:00.000Z', '2026-03-22T00:00:00.000Z']);
  // Across a year end.
  assert.deepEqual(iso(periodAt('WEEK', 1, Date.UTC(2027, 0, 1))), ['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
});

test('MONTH periods start on day offset + 1, in months of every length', () => {
  assert.deepEqual(iso(periodAt('MONTH', 0, Date.UTC(2026, 1, 28, 23))), ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('MONTH', 0, Date.UTC(2024, 1, 29))), ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
  // Offset 14: from the 15th to the 15th.
  assert.deepEqual(iso(periodAt('MONTH', 14, Date.UTC(2026, 2, 14, 23, 59))), ['2026-02-15T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('MONTH', 14, Date.UTC(2026, 2, 15))), ['2026-03-15T00:00:00.000Z', '2026-04-15T00:00:00.000Z']);
  // Offset 27 (the 28th, which every month has), across February and the year end.
  assert.deepEqual(iso(periodAt('MONTH', 27, Date.UTC(2026, 2, 1))), ['2026-02-28T00:00:00.000Z', '2026-03-28T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('MONTH', 27, Date.UTC(2027, 0, 10))), ['2026-12-28T00:00:00.000Z', '2027-01-28T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('MONTH', 0, Date.UTC(2026, 11, 31, 23, 59, 59, 999))), ['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  // 31-day and 30-day months.
  assert.deepEqual(iso(periodAt('MONTH', 0, Date.UTC(2026, 0, 31, 12))), ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  assert.deepEqual(iso(periodAt('MONTH', 0, Date.UTC(2026, 3, 30, 12))), ['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
});

test('utcDay and the cache agree with periodAt as time moves forward and back', () => {
  const cache = new PeriodCache();
  assert.equal(cache.day(Date.UTC(2026, 2, 10, 23, 59, 59, 999)), '2026-03-10');
  assert.equal(cache.day(Date.UTC(2026, 2, 11)), '2026-03-11');
  assert.equal(cache.day(Date.UTC(2026, 2, 9, 5)), '2026-03-09');
  assert.equal(utcDay(Date.UTC(2024, 1, 29, 13)), '2024-02-29');
  for (const [p, o] of [['DAY', 0], ['WEEK', 3], ['MONTH', 20]] as const) {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2026, 3, 1); t += 7 * 3_600_000) {
      assert.deepEqual(cache.window(p, o, t), periodAt(p, o, t));
    }
    assert.deepEqual(cache.window(p, o, Date.UTC(2025, 5, 1)), periodAt(p, o, Date.UTC(2025, 5, 1)));
  }
});
