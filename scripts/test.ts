// `npm test`: type-check the whole project, then run every test file with Node's test runner.
// Arguments narrow the run: `npm test -- test/vtl` runs the files under test/vtl only (and skips the type check
// when GATEHOUSE_SKIP_TYPECHECK=1, for quick loops while developing).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildConsole, consoleBuildIsStale } from './console-build.ts';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'fixtures' && entry !== 'node_modules') out.push(...testFiles(path));
    } else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

if (process.env.GATEHOUSE_SKIP_TYPECHECK !== '1') {
  // Gatehouse, then the web console (a browser program: its own tsconfig, DOM types, Preact's JSX).
  for (const project of ['tsconfig.json', join('console', 'tsconfig.json')]) {
    const tsc = spawnSync(bin('tsc'), ['-p', join(root, project)], { stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error(`type check failed (${project})`);
      process.exit(tsc.status ?? 1);
    }
  }
}

// The browser tests drive the built console: rebuild it when a source changed since `npm install` built it.
if (consoleBuildIsStale() && !buildConsole()) {
  console.error('the console build failed');
  process.exit(1);
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test']).flatMap((t) => {
  const path = resolve(root, t);
  return statSync(path).isDirectory() ? testFiles(path) : [path];
});
const run = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=300000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, GATEHOUSE_TEST: '1' } },
);
process.exit(run.status ?? 1);
