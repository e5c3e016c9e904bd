// The data directory as the operator gave it: created if missing, then checked before anything is opened in it, so
// a bad directory is reported as one sentence naming the path and the cause rather than as a SQLite error deep in a
// stack trace.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The data directory cannot be used; the message names the path and the cause and is meant for the operator. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** A short human cause for a file-system error, with its code: `permission denied (EACCES)`. */
export function fsCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && CAUSES[code]) return `${CAUSES[code]} (${code})`;
  return code ? `${(err as Error).message} (${code})` : String((err as Error | undefined)?.message ?? err);
}

/** Creates `dir` if needed and checks it is a directory this process may read and write. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DataDirError(`the data directory ${dir} is not a directory`);
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const cause = ['ENOENT', 'EACCES', 'EPERM', 'EROFS'].includes(code) ? ancestorCause(dir) : undefined;
    throw new DataDirError(`cannot create the data directory ${dir}: ${cause ?? fsCause(err)}`);
  }
  if (!statSync(dir).isDirectory()) throw new DataDirError(`the data directory ${dir} is not a directory`);
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch (err) {
    throw new DataDirError(`the data directory ${dir} is not readable: ${fsCause(err)}`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new DataDirError(`the data directory ${dir} is not writable: ${fsCause(err)}`);
  }
}

/**
 * Why a directory cannot be created below its nearest existing ancestor (a recursive mkdir on a read-only file
 * system reports ENOENT, which would send the operator looking for a missing path).
 */
function ancestorCause(dir: string): string | undefined {
  let parent = dirname(dir);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) return undefined;
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (err) {
    return `${parent} is not writable: ${fsCause(err)}`;
  }
}

/** Checks that an existing file in the data directory may be read and written. */
export function checkDataFile(file: string): void {
  try {
    statSync(file);
  } catch {
    return; // created on open
  }
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    throw new DataDirError(`${file} is not readable: ${fsCause(err)}`);
  }
  try {
    accessSync(file, constants.W_OK);
  } catch (err) {
    throw new DataDirError(`${file} is not writable: ${fsCause(err)}`);
  }
}
