// Which directories may be a function's code through the hot-reload bucket (S3Bucket "hot-reload", S3Key
// "/absolute/dir"). A function runs its directory as LAMBDA_TASK_ROOT and Gatehouse watches it, so the Lambda API alone
// must not be able to name any directory of the host: only those the operator allows are accepted,
//   - at or below a root given with `gatehouse serve --hot-reload-root DIR` (repeatable), and
//   - a directory `gatehouse functions deploy DIR` registered, by writing it into the data directory's
//     `hot-reload-dirs` file (whoever can write the data directory already controls the whole server).
// Never the data directory itself, anything inside it, or a directory holding it. Paths are compared after
// resolving symbolic links, so a link under an allowed root cannot point elsewhere.
import { existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { InvalidParameterValueException } from '../aws/errors.ts';

/** The S3 bucket name that means "this local directory" (the convention LocalStack introduced for hot reloading). */
export const LOCAL_CODE_BUCKET = 'hot-reload';
/** In the data directory: the directories `gatehouse functions deploy` registered, one absolute path a line. */
export const REGISTRY_FILE = 'hot-reload-dirs';

const within = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

export class HotReloadRoots {
  private readonly roots: string[];
  private readonly dataDir: string;

  /** `roots` as given with --hot-reload-root (resolved against the working directory, symbolic links followed). */
  constructor(roots: readonly string[], dataDir: string) {
    this.roots = roots.map((r) => hotReloadRoot(r));
    this.dataDir = resolve(dataDir);
  }

  /** The directory (symbolic links resolved) when it may be hot-reloaded; else Lambda's InvalidParameterValueException. */
  async check(dir: string): Promise<string> {
    const st = isAbsolute(dir) ? await stat(dir).catch(() => undefined) : undefined;
    if (!st?.isDirectory()) {
      throw new InvalidParameterValueException(`S3Key of the ${LOCAL_CODE_BUCKET} bucket must be an absolute path to an existing directory: ${dir}`);
    }
    const real = await realpath(dir);
    const data = await realpath(this.dataDir).catch(() => this.dataDir);
    if (within(real, data) || within(data, real)) {
      // Functions must not read the store, and its writes would reload the function without end.
      throw new InvalidParameterValueException(
        `Hot reload from ${dir} is not allowed: it is or holds Gatehouse's data directory (${data}). ` +
          'Start Gatehouse with a --data-dir outside the code, or deploy a directory that does not hold it.',
      );
    }
    if (this.roots.some((root) => within(real, root))) return real;
    if ((await this.registered()).some((r) => within(real, r))) return real;
    throw new InvalidParameterValueException(
      `Hot reload from ${dir} is not allowed: start Gatehouse with --hot-reload-root ${real} (or a parent directory), ` +
        `or deploy it with "gatehouse functions deploy ${real} --data-dir ${this.dataDir}".`,
    );
  }

  private async registered(): Promise<string[]> {
    const text = await readFile(join(this.dataDir, REGISTRY_FILE), 'utf8').catch(() => '');
    return text.split('\n').filter((l) => isAbsolute(l));
  }
}

/** A --hot-reload-root value as an absolute path with links resolved; throws a one-line Error when it is no directory. */
export function hotReloadRoot(value: string): string {
  const abs = resolve(value);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new Error(`--hot-reload-root ${value}: not a directory`);
  return realpathSync(abs);
}

/**
 * Registers a directory for hot reload in a data directory (what `gatehouse functions deploy` does before calling
 * the Lambda API). Returns false when `dataDir` is not a Gatehouse data directory.
 */
export function registerHotReloadDir(dataDir: string, dir: string): boolean {
  if (!existsSync(join(dataDir, 'gatehouse.db'))) return false;
  const file = join(dataDir, REGISTRY_FILE);
  const real = realpathSync(dir);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  if (lines.includes(real)) return true;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, [...lines, real, ''].join('\n'), { mode: 0o600 });
  renameSync(tmp, file);
  return true;
}
