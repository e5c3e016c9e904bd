// The Redis settings are checked before anything starts: a bad URL or policy stops startup with one line naming the
// setting (never a password), from the environment and from the flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { configFromEnv } from '../../src/server/config.ts';
import { ROOT, tempDataDir } from '../helpers/gatehouse.ts';

test('GATEHOUSE_REDIS_URL and GATEHOUSE_REDIS_FAILURE: accepted forms, defaults, and one-line refusals', () => {
  const base = configFromEnv({});
  assert.equal(base.redisUrl, undefined);
  assert.equal(base.redisFailure, 'open');
  assert.equal(base.redisPrefix, 'gatehouse:');
  const c = configFromEnv({ GATEHOUSE_REDIS_URL: 'redis://:s3cret@cache.internal:6380/2', GATEHOUSE_REDIS_FAILURE: 'CLOSED', GATEHOUSE_REDIS_PREFIX: 'blue:' });
  assert.deepEqual([c.redisUrl, c.redisFailure, c.redisPrefix], ['redis://:s3cret@cache.internal:6380/2', 'closed', 'blue:']);
  assert.equal(configFromEnv({ GATEHOUSE_REDIS_URL: 'rediss://cache.internal' }).redisUrl, 'rediss://cache.internal');
  assert.throws(() => configFromEnv({ GATEHOUSE_REDIS_URL: 'http://user:pw@cache:6379' }), {
    message: 'GATEHOUSE_REDIS_URL="http://***@cache:6379" is not a Redis URL (redis://host:port[/db] or rediss://host:port)',
  });
  assert.throws(() => configFromEnv({ GATEHOUSE_REDIS_URL: 'redis://cache:6379/queues' }), /is not a Redis URL: its path is a database number/);
  assert.throws(() => configFromEnv({ GATEHOUSE_REDIS_FAILURE: 'maybe' }), { message: 'GATEHOUSE_REDIS_FAILURE="maybe" is not a Redis failure policy (open or closed)' });
});

test('gatehouse serve --redis-failure maybe: one line on stderr, exit 1', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', tempDataDir(), '--redis-failure', 'maybe'], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^gatehouse: option '--redis-failure <policy>' argument 'maybe' is invalid\. .*not a Redis failure policy \(open or closed\)/);
});
