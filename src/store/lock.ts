// One Gatehouse per data directory. Two servers on the same SQLite file would each cache deployments and stage
// settings that the other changes, and each run its own Event-invocation queue, so the second one refuses to start.
//
// The lock is an OS-level file lock, so a server killed with SIGKILL (or a machine that lost power) never leaves a
// stale lock behind: the kernel drops it with the process. Node has no flock(), but SQLite takes POSIX advisory
// locks, and a connection in EXCLUSIVE locking mode keeps its lock until it is closed. `gatehouse.lock` is such a
// database; it holds no data. The holder's pid is written beside it in `gatehouse.pid`, only to name it in the
// refusal: the pid file alone decides nothing, so a stale one is simply overwritten.
import { DatabaseSync } from 'node:sqlite';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError, fsCause } from './data-dir.ts';

const SQLITE_BUSY = 5;
const SQLITE_NOTADB = 26;

export interface DataDirLock {
  release(): void;
}

/** Takes the data directory's lock or throws a DataDirError naming the pid of the server holding it. */
export function lockDataDir(dir: string, retried = false): DataDirLock {
  const lockFile = join(dir, 'gatehouse.lock');
  const pidFile = join(dir, 'gatehouse.pid');
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(lockFile, { timeout: 0 });
    db.exec('PRAGMA journal_mode=MEMORY; PRAGMA locking_mode=EXCLUSIVE;');
    // The first write takes the exclusive lock; in EXCLUSIVE mode COMMIT keeps it.
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (held INTEGER); COMMIT;');
  } catch (err) {
    db?.close();
    // Extended result codes (SQLITE_BUSY_RECOVERY, …) carry the primary code in their low byte.
    const code = ((err as { errcode?: number }).errcode ?? 0) % 256;
    // The lock file holds no data: one that is not a database (damaged with the rest of a disk, say) is replaced.
    if (code === SQLITE_NOTADB && !retried) {
      rmSync(lockFile, { force: true });
      return lockDataDir(dir, true);
    }
    if (code === SQLITE_BUSY) {
      const pid = awaitHolderPid(pidFile);
      throw new DataDirError(
        `the data directory ${dir} is in use by another Gatehouse (${pid ? `pid ${pid}` : 'pid unknown'}); stop it or choose another --data-dir`,
      );
    }
    throw new DataDirError(`cannot lock the data directory ${dir} (${lockFile}): ${sqliteCause(err)}`);
  }
  try {
    writeFileSync(pidFile, `${process.pid}\n`);
  } catch (err) {
    db.close();
    throw new DataDirError(`cannot write ${pidFile}: ${fsCause(err)}`);
  }
  const held = db;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (holderPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
      held.close();
    },
  };
}

/**
 * The holder writes its pid right after taking the lock: a server started in that same instant waits for it a little
 * (startup only, so a synchronous wait is fine), then says "pid unknown".
 */
function awaitHolderPid(pidFile: string): number | undefined {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 10; i++) {
    const pid = holderPid(pidFile);
    if (pid !== undefined) return pid;
    Atomics.wait(pause, 0, 0, 50);
  }
  return undefined;
}

function holderPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** SQLite's own words for an error, or the file-system cause when there is one. */
export function sqliteCause(err: unknown): string {
  const e = err as { code?: string; errstr?: string; message?: string };
  if (e.code === 'ERR_SQLITE_ERROR') return e.errstr ?? e.message ?? 'SQLite error';
  return fsCause(err);
}
