// The CloudWatch Logs API through the real `aws` CLI v2 (awsJson1.1): groups, streams, PutLogEvents, GetLogEvents,
// FilterLogEvents with filter patterns, `aws logs tail`, retention on the injected clock, AWS's errors and texts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runAws, type CliResult } from '../helpers/aws-cli.ts';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import type { LogStore, StoredChunk } from '../../src/observe/logs/log-store.ts';

let gh: Running;
// The fake clock starts at the real time (so `aws logs tail`'s own "10 minutes ago" covers the events).
let clock = Date.now();

before(async () => {
  gh = await startGatehouse({ now: () => new Date(clock) });
});
after(async () => {
  await gh.stop();
});

function aws(...args: string[]): Promise<CliResult> {
  return runAws({ endpoint: gh.endpoint }, 'logs', ...args);
}

function ok(r: CliResult): any {
  assert.equal(r.code, 0, r.stderr);
  return r.json;
}

function events(...messages: string[]): string {
  return JSON.stringify(messages.map((message, i) => ({ timestamp: clock - 1000 + i, message })));
}

test('log groups and streams: create, describe, duplicates and missing ones with AWS texts', async () => {
  ok(await aws('create-log-group', '--log-group-name', '/app/one'));
  ok(await aws('create-log-group', '--log-group-name', '/app/two'));
  const dup = await aws('create-log-group', '--log-group-name', '/app/one');
  assert.equal(dup.code, 254);
  assert.match(dup.stderr, /ResourceAlreadyExistsException\) when calling the CreateLogGroup operation.*: The specified log group already exists/);

  const groups = ok(await aws('describe-log-groups', '--log-group-name-prefix', '/app/'));
  assert.deepEqual(
    groups.logGroups.map((g: any) => [g.logGroupName, g.arn, g.storedBytes, g.metricFilterCount]),
    [
      ['/app/one', 'arn:aws:logs:us-east-1:123456789012:log-group:/app/one:*', 0, 0],
      ['/app/two', 'arn:aws:logs:us-east-1:123456789012:log-group:/app/two:*', 0, 0],
    ],
  );
  assert.equal(groups.logGroups[0].creationTime, clock);

  ok(await aws('create-log-stream', '--log-group-name', '/app/one', '--log-stream-name', 's1'));
  const dupStream = await aws('create-log-stream', '--log-group-name', '/app/one', '--log-stream-name', 's1');
  assert.match(dupStream.stderr, /ResourceAlreadyExistsException\).*The specified log stream already exists/);
  const noGroup = await aws('create-log-stream', '--log-group-name', '/nope', '--log-stream-name', 's1');
  assert.match(noGroup.stderr, /ResourceNotFoundException\) when calling the CreateLogStream operation.*: The specified log group does not exist\./);
  const noStream = await aws('put-log-events', '--log-group-name', '/app/one', '--log-stream-name', 'nope', '--log-events', events('x'));
  assert.match(noStream.stderr, /ResourceNotFoundException\).*The specified log stream does not exist\./);
  const limit = await aws('filter-log-events', '--log-group-name', '/app/one', '--limit', '10001');
  assert.match(limit.stderr, /InvalidParameterException\).*1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000/);

  ok(await aws('delete-log-group', '--log-group-name', '/app/two'));
  const gone = await aws('delete-log-group', '--log-group-name', '/app/two');
  assert.match(gone.stderr, /ResourceNotFoundException\).*The specified log group does not exist\./);
});

test('put-log-events, get-log-events and filter-log-events with every kind of filter pattern', async () => {
  ok(await aws('create-log-group', '--log-group-name', 'patterns'));
  ok(await aws('create-log-stream', '--log-group-name', 'patterns', '--log-stream-name', 'a'));
  ok(await aws('create-log-stream', '--log-group-name', 'patterns', '--log-stream-name', 'b'));
  const put = ok(
    await aws('put-log-events', '--log-group-name', 'patterns', '--log-stream-name', 'a', '--log-events',
      events('ERROR disk full', 'INFO all good', '{"status": 500, "user": {"id": 2}, "level": "ERROR"}', '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 2326')),
  );
  assert.ok(put.nextSequenceToken);
  ok(await aws('put-log-events', '--log-group-name', 'patterns', '--log-stream-name', 'b', '--log-events', events('WARN slow disk', '{"status": 200, "latency": 250}')));
  const unordered = await aws('put-log-events', '--log-group-name', 'patterns', '--log-stream-name', 'b', '--log-events',
    JSON.stringify([{ timestamp: clock, message: 'x' }, { timestamp: clock - 5, message: 'y' }]));
  assert.match(unordered.stderr, /InvalidParameterException\).*Log events in a single PutLogEvents request must be in chronological order\./);

  const got = ok(await aws('get-log-events', '--log-group-name', 'patterns', '--log-stream-name', 'a', '--start-from-head'));
  assert.deepEqual(got.events.map((e: any) => e.message).slice(0, 2), ['ERROR disk full', 'INFO all good']);
  assert.equal(got.events[0].timestamp, clock - 1000);
  assert.equal(got.events[0].ingestionTime, clock);
  assert.match(got.nextForwardToken, /^f\//);
  assert.match(got.nextBackwardToken, /^b\//);
  // Reading on from the forward token: nothing new, the same token back.
  const more = ok(await aws('get-log-events', '--log-group-name', 'patterns', '--log-stream-name', 'a', '--next-token', got.nextForwardToken));
  assert.deepEqual(more.events, []);
  assert.equal(more.nextForwardToken, got.nextForwardToken);

  const filter = async (pattern: string) =>
    ok(await aws('filter-log-events', '--log-group-name', 'patterns', '--filter-pattern', pattern)).events.map((e: any) => `${e.logStreamName}:${e.message}`);
  assert.deepEqual(await filter('ERROR'), ['a:ERROR disk full', 'a:{"status": 500, "user": {"id": 2}, "level": "ERROR"}']);
  assert.deepEqual(await filter('disk -full'), ['b:WARN slow disk']);
  // b's first event is as old as a's first: equal timestamps keep the order they were stored in.
  assert.deepEqual(await filter('?INFO ?WARN'), ['b:WARN slow disk', 'a:INFO all good']);
  assert.deepEqual(await filter('"all good"'), ['a:INFO all good']);
  assert.deepEqual(await filter('{ $.status = 500 }'), ['a:{"status": 500, "user": {"id": 2}, "level": "ERROR"}']);
  assert.deepEqual(await filter('{ ($.user.id = 2 && $.level = "ERR*") || $.latency > 200 }'), [
    'b:{"status": 200, "latency": 250}',
    'a:{"status": 500, "user": {"id": 2}, "level": "ERROR"}',
  ]);
  assert.deepEqual(await filter('{ $.user NOT EXISTS }'), ['b:{"status": 200, "latency": 250}']);
  assert.deepEqual(await filter('[ip, id, user, timestamp, request, status_code = 4*, size > 1000]'), [
    'a:127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 2326',
  ]);
  assert.deepEqual(await filter('[..., status_code = 404, size]'), ['a:127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 404 2326']);
  assert.deepEqual(await filter('%d[a-z]sk%'), ['a:ERROR disk full', 'b:WARN slow disk']);
  const bad = await aws('filter-log-events', '--log-group-name', 'patterns', '--filter-pattern', '{ $.status = }');
  assert.match(bad.stderr, /InvalidParameterException\).*Invalid filter pattern/);

  // Interleaved in time order across streams; paginated with nextToken (the CLI follows it).
  const all = ok(await aws('filter-log-events', '--log-group-name', 'patterns', '--page-size', '2'));
  assert.equal(all.events.length, 6);
  const times = all.events.map((e: any) => e.timestamp);
  assert.deepEqual(times, [...times].sort((x, y) => x - y));
  const bounded = ok(await aws('filter-log-events', '--log-group-name', 'patterns', '--start-time', String(clock - 999), '--end-time', String(clock - 999)));
  assert.deepEqual(bounded.events.map((e: any) => e.message), ['INFO all good', '{"status": 200, "latency": 250}']);
  const badToken = await aws('filter-log-events', '--log-group-name', 'patterns', '--next-token', 'nonsense');
  assert.match(badToken.stderr, /InvalidParameterException\).*The specified nextToken is invalid\./);
});

test('aws logs tail prints the events of every stream', async () => {
  const tail = await runAws({ endpoint: gh.endpoint }, 'logs', 'tail', 'patterns', '--format', 'short');
  assert.equal(tail.code, 0, tail.stderr);
  const lines = tail.stdout.trim().split('\n');
  assert.equal(lines.length, 6);
  assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d ERROR disk full$/);
  const filtered = await runAws({ endpoint: gh.endpoint }, 'logs', 'tail', 'patterns', '--filter-pattern', 'WARN', '--format', 'detailed');
  assert.match(filtered.stdout.trim(), /^\S+ b WARN slow disk$/);
});

test('retention: events older than the policy are neither returned nor kept', async () => {
  ok(await aws('create-log-group', '--log-group-name', 'retained'));
  ok(await aws('create-log-stream', '--log-group-name', 'retained', '--log-stream-name', 's'));
  ok(await aws('put-log-events', '--log-group-name', 'retained', '--log-stream-name', 's', '--log-events', events('old one')));
  const badDays = await aws('put-retention-policy', '--log-group-name', 'retained', '--retention-in-days', '2');
  assert.match(badDays.stderr, /InvalidParameterException\).*Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5/);
  ok(await aws('put-retention-policy', '--log-group-name', 'retained', '--retention-in-days', '1'));
  assert.equal(ok(await aws('describe-log-groups', '--log-group-name-prefix', 'retained')).logGroups[0].retentionInDays, 1);
  const messages = async () => (await gh.gatehouse.store.read((tx) => tx.list<StoredChunk>('logevents', 'us-east-1/retained:'))).flatMap((r) => r.value.e.map((e) => e[2]));
  assert.deepEqual(await messages(), ['old one']);
  clock += 86_400_000 + 1;
  try {
    ok(await aws('put-log-events', '--log-group-name', 'retained', '--log-stream-name', 's', '--log-events', events('new one')));
    const seen = ok(await aws('filter-log-events', '--log-group-name', 'retained'));
    assert.deepEqual(seen.events.map((e: any) => e.message), ['new one']);
    // The minutely sweeper may have run since the clock moved (a slow machine): whichever sweep deleted the old
    // event, only the new one is kept.
    await (gh.gatehouse.services.logs as LogStore).sweep();
    assert.deepEqual(await messages(), ['new one']);
    ok(await aws('delete-retention-policy', '--log-group-name', 'retained'));
    assert.equal(ok(await aws('describe-log-groups', '--log-group-name-prefix', 'retained')).logGroups[0].retentionInDays, undefined);
  } finally {
    clock -= 86_400_000 + 1;
  }
});
