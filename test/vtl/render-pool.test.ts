// The render pool's workers never keep a process alive: a server that closes (or a test that ends) with idle
// workers exits. Run in a child process, which must exit on its own after a pooled render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

test('a process with idle render workers exits by itself once its work is done', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pool-'));
  const pool = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'vtl', 'render-pool.ts')).href;
  const script = join(dir, 'child.mjs');
  writeFileSync(script, `
    import { renderPool } from ${JSON.stringify(pool)};
    const r = await renderPool().render({
      source: '#set($context.responseOverride.status = 201)pooled $input.body',
      body: 'body', params: { path: {}, querystring: {}, header: {} }, context: {}, stageVariables: {},
    });
    console.log(JSON.stringify({ output: r.output, status: r.responseOverride.status }));
  `);
  try {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    // A child still alive after 60 s is stuck (a pooled render takes milliseconds): killed, and the test fails.
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    assert.equal(signal, null, 'the child had to be killed: its render workers kept it alive');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), { output: 'pooled body', status: 201 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
