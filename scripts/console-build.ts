// Builds the web console (console/ → console/dist) with Vite. `npm install` runs it (the prepare script), and
// `npm test` runs it again when a console source is newer than the build, so the browser tests never drive a
// stale console. `--if-stale` builds only then.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const consoleDir = join(root, 'console');
const built = join(consoleDir, 'dist', 'index.html');

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, entry) => Math.max(max, newest(join(path, entry))), info.mtimeMs);
}

export function consoleBuildIsStale(): boolean {
  if (!existsSync(built)) return true;
  const sources = Math.max(newest(join(consoleDir, 'src')), newest(join(consoleDir, 'index.html')), newest(join(consoleDir, 'vite.config.ts')));
  return sources > statSync(built).mtimeMs;
}

/** Runs `vite build`; false (with Vite's output on stderr) when it failed. */
export function buildConsole(): boolean {
  const run = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: consoleDir, stdio: 'inherit' });
  return run.status === 0;
}

if (import.meta.main) {
  if (process.argv.includes('--if-stale') && !consoleBuildIsStale()) process.exit(0);
  if (!buildConsole()) {
    console.error('the console build failed (see above); Gatehouse still serves its APIs, and /_gatehouse/console/ says the console is not built');
    process.exit(1);
  }
}
