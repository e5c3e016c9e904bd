// Hot reload of directory functions (`gatehouse functions deploy DIR`, or S3Bucket "hot-reload" + S3Key DIR).
// Each function's directory is watched with one inotify watch per directory (not per file, as Node's recursive
// fs.watch does on Linux): a directory watch sees every kind of save editors make — write in place, write to a
// temporary file and rename over (vim, atomic saves), delete and create — and new subdirectories are watched as
// they appear. A change bumps the directory's generation, which is part of the environment key, and stops the
// function's warm environments: the next invocation cold-starts on the new code, with nothing checked on the hot path.
//
// Bounded: at most `maxDirectoriesPerFunction` directories per function (node_modules and .git are not watched)
// and `maxDirectories` in all; past either, CreateFunction / UpdateFunctionCode are refused with a clear error.
// Watches are released when the function is deleted or its code is replaced. Functions sharing a directory share
// its watches. The first change reloads at once; more changes within `debounceMs` reload once more at its end, so a
// save made of several steps ends on the final code and a burst of changes (npm install) costs two reloads.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { InvalidParameterValueException } from '../aws/errors.ts';

export interface WatchLimits {
  maxDirectoriesPerFunction: number;
  maxDirectories: number;
  debounceMs: number;
}

export const DEFAULT_WATCH_LIMITS: WatchLimits = { maxDirectoriesPerFunction: 1000, maxDirectories: 8192, debounceMs: 100 };

/** Not watched: dependencies change through npm, which rewrites package-lock.json (watched) when it is done. */
const UNWATCHED = new Set(['node_modules', '.git']);

interface Tree {
  root: string;
  rootIno: number;
  /** Function keys (`region\nname`) whose $LATEST runs this directory. */
  refs: Set<string>;
  watchers: Map<string, FSWatcher>;
  generation: number;
  ready: Promise<void>;
  /** The root was removed or replaced: watched again on the next invocation. */
  lost: boolean;
  closed: boolean;
  timer: NodeJS.Timeout | undefined;
  pending: boolean;
  warned: boolean;
}

class TooManyDirectories extends Error {}

export class LocalCodeWatcher {
  private readonly limits: WatchLimits;
  private readonly onChange: (functionKeys: string[]) => void;
  private readonly allowed: (dir: string) => Promise<unknown>;
  private readonly adopting = new Map<string, { dir: string; promise: Promise<number> }>();
  private readonly trees = new Map<string, Tree>();
  private readonly byFunction = new Map<string, Tree>();
  /** Functions whose directory could not be watched after a restart (until redeployed). */
  private readonly refused = new Map<string, string>();
  private watched = 0;
  /** Generations come from one counter, so a directory watched again never reuses an old environment key. */
  private counter = 0;

  /**
   * `onChange` gets the functions whose directory changed; `allowed` checks a directory saved before this server
   * started (it rejects with the error to answer when the directory is no longer allowed).
   */
  constructor(limits: WatchLimits, onChange: (functionKeys: string[]) => void, allowed: (dir: string) => Promise<unknown>) {
    this.limits = limits;
    this.onChange = onChange;
    this.allowed = allowed;
  }

  static key(region: string, name: string): string {
    return `${region}\n${name}`;
  }

  /**
   * Starts watching `dir` on behalf of a function, before the function is saved with it; `bind` once saved, `abort`
   * if not. Throws InvalidParameterValueException when the directory holds more directories than the limits allow or
   * cannot be read.
   */
  async attach(fn: string, dir: string): Promise<void> {
    let tree = this.trees.get(dir);
    if (!tree) {
      const t: Tree = { root: dir, rootIno: 0, refs: new Set(), watchers: new Map(), generation: 0, ready: Promise.resolve(), lost: false, closed: false, timer: undefined, pending: false, warned: false };
      this.trees.set(dir, t);
      t.ready = this.watchTree(t);
      t.ready.catch(() => this.drop(t));
      tree = t;
    }
    tree.refs.add(fn);
    try {
      await tree.ready;
    } catch (err) {
      this.abort(fn, dir);
      throw err;
    }
  }

  /** The function now runs `dir`: its reloads follow that directory, and the one it ran before is released. */
  bind(fn: string, dir: string): void {
    const tree = this.trees.get(dir);
    const current = this.byFunction.get(fn);
    if (!tree || current === tree) return;
    if (current) this.unref(fn, current);
    this.byFunction.set(fn, tree);
    this.refused.delete(fn);
  }

  /** The function was not saved with `dir` after all (a failed or dry-run update). */
  abort(fn: string, dir: string): void {
    const tree = this.trees.get(dir);
    if (tree && this.byFunction.get(fn) !== tree) {
      tree.refs.delete(fn);
      if (tree.refs.size === 0) this.drop(tree);
    }
  }

  /** Stops watching for a function (deleted, or its code is no longer a directory). */
  release(fn: string): void {
    const tree = this.byFunction.get(fn);
    if (tree) this.unref(fn, tree);
    this.refused.delete(fn);
  }

  /**
   * The current generation of a function's directory: a map lookup once it is watched. A lost directory (removed and
   * created again) is watched again in the background. A directory this server has not watched yet (a function
   * saved before a restart) is first checked against what the operator allows now, so a promise comes back; it
   * rejects when the directory is no longer allowed. One the limits do not let Gatehouse watch runs without reload.
   */
  generation(fn: string, dir: string): number | Promise<number> {
    const tree = this.byFunction.get(fn);
    if (tree && tree.root === dir) {
      if (tree.lost) this.rewatch(tree);
      return tree.generation;
    }
    if (this.refused.get(fn) === dir) return 0;
    let adopting = this.adopting.get(fn);
    if (adopting?.dir !== dir) {
      const promise = this.allowed(dir).then(
        () =>
          this.attach(fn, dir).then(
            () => {
              this.bind(fn, dir);
              return this.byFunction.get(fn)?.generation ?? 0;
            },
            (err: Error) => {
              this.refused.set(fn, dir); // said once, not at every invocation
              console.warn(`gatehouse: hot reload of ${dir} is off: ${err.message}`);
              return 0;
            },
          ),
        (err: unknown) => {
          this.adopting.delete(fn); // checked again next time (the operator may allow it meanwhile)
          throw err;
        },
      );
      adopting = { dir, promise };
      this.adopting.set(fn, adopting);
      promise.then(() => this.adopting.delete(fn), () => undefined);
    }
    return adopting.promise;
  }

  /** Directories watched now (all functions). */
  watchedDirectories(): number {
    return this.watched;
  }

  close(): void {
    for (const tree of this.trees.values()) this.closeTree(tree);
    this.trees.clear();
    this.byFunction.clear();
    this.refused.clear();
    this.adopting.clear();
  }

  private unref(fn: string, tree: Tree): void {
    this.byFunction.delete(fn);
    tree.refs.delete(fn);
    if (tree.refs.size === 0) this.drop(tree);
  }

  private drop(tree: Tree): void {
    this.closeTree(tree);
    if (this.trees.get(tree.root) === tree) this.trees.delete(tree.root);
  }

  private closeTree(tree: Tree): void {
    tree.closed = true;
    clearTimeout(tree.timer);
    for (const w of tree.watchers.values()) w.close();
    this.watched -= tree.watchers.size;
    tree.watchers.clear();
  }

  private async watchTree(tree: Tree): Promise<void> {
    const limit = this.limits.maxDirectoriesPerFunction;
    let dirs: string[];
    try {
      tree.rootIno = (await lstat(tree.root)).ino;
      dirs = await this.collect(tree.root, limit);
    } catch (err) {
      if (err instanceof TooManyDirectories) {
        throw new InvalidParameterValueException(
          `Hot reload from ${tree.root} would watch more than ${limit} directories (node_modules and .git are not watched): ` +
            'deploy a smaller directory (the build output, for instance) or upload a zip.',
        );
      }
      throw new InvalidParameterValueException(`Hot reload from ${tree.root} is not possible: ${(err as Error).message}`);
    }
    if (tree.closed) return;
    if (this.watched + dirs.length > this.limits.maxDirectories) {
      throw new InvalidParameterValueException(
        `Hot reload from ${tree.root} needs ${dirs.length} directory watches, but ${this.watched} of the ${this.limits.maxDirectories} ` +
          'Gatehouse allows are in use: delete hot-reload functions you no longer need, or upload a zip.',
      );
    }
    for (const d of dirs) this.watchDirectory(tree, d);
    tree.generation = ++this.counter;
    tree.warned = false;
  }

  /** The directories of a tree (breadth first, links not followed), or TooManyDirectories past `limit`. */
  private async collect(root: string, limit: number): Promise<string[]> {
    if (limit < 1) throw new TooManyDirectories();
    const found = [root];
    for (let i = 0; i < found.length; i++) {
      const entries = await readdir(found[i]!, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
        if (i === 0 || err.code !== 'ENOENT') throw err;
        return [];
      });
      for (const e of entries) {
        if (!e.isDirectory() || UNWATCHED.has(e.name)) continue;
        if (found.length >= limit) throw new TooManyDirectories();
        found.push(join(found[i]!, e.name));
      }
    }
    return found;
  }

  private watchDirectory(tree: Tree, dir: string): void {
    if (tree.watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (event, name) => this.changed(tree, dir, event, name));
    } catch {
      return; // gone already: its parent's event says so
    }
    w.on('error', () => this.unwatch(tree, dir));
    tree.watchers.set(dir, w);
    this.watched++;
  }

  /** Stops watching a directory and everything below it (it was removed or renamed away). */
  private unwatch(tree: Tree, dir: string): void {
    for (const [d, w] of tree.watchers) {
      if (d === dir || d.startsWith(dir + sep)) {
        w.close();
        tree.watchers.delete(d);
        this.watched--;
      }
    }
  }

  private changed(tree: Tree, dir: string, event: string, name: string | Buffer | null): void {
    if (tree.closed) return;
    this.bump(tree);
    if (event !== 'rename' || typeof name !== 'string') return;
    // A name appeared or disappeared: watch a new directory, forget a removed one, notice the root going away.
    void this.rescan(tree, dir, join(dir, name));
  }

  private async rescan(tree: Tree, parent: string, path: string): Promise<void> {
    if (parent === tree.root) {
      // An event at the top may be the root itself going away or being replaced (rm -rf, mv and mkdir).
      const root = await lstat(tree.root).catch(() => undefined);
      if (tree.closed) return;
      if (!root || root.ino !== tree.rootIno) return this.lose(tree);
    }
    const st = await lstat(path).catch(() => undefined);
    if (tree.closed) return;
    if (!st) {
      if (tree.watchers.has(path)) this.unwatch(tree, path);
      return;
    }
    if (!st.isDirectory() || UNWATCHED.has(basename(path)) || tree.watchers.has(path) || !tree.watchers.has(parent)) return;
    const room = Math.min(this.limits.maxDirectoriesPerFunction - tree.watchers.size, this.limits.maxDirectories - this.watched);
    let dirs: string[];
    try {
      dirs = await this.collect(path, room);
    } catch (err) {
      if (!tree.warned) {
        tree.warned = true;
        const why = err instanceof TooManyDirectories ? `more than ${this.limits.maxDirectoriesPerFunction} directories to watch` : (err as Error).message;
        console.warn(`gatehouse: hot reload of ${tree.root} does not watch ${path} (${why}); redeploy to watch it`);
      }
      return;
    }
    if (tree.closed) return;
    for (const d of dirs) this.watchDirectory(tree, d);
    this.bump(tree); // files written into the new directory before its watch began
  }

  /** The root was removed or replaced: drop its watches; the next invocation watches it again. */
  private lose(tree: Tree): void {
    if (tree.lost) return;
    for (const w of tree.watchers.values()) w.close();
    this.watched -= tree.watchers.size;
    tree.watchers.clear();
    tree.lost = true;
    this.bump(tree);
  }

  private rewatch(tree: Tree): void {
    tree.lost = false;
    tree.ready = this.watchTree(tree).then(
      () => this.reload(tree),
      (err: Error) => {
        tree.lost = true;
        if (!tree.warned) console.warn(`gatehouse: hot reload of ${tree.root} is off until it exists again: ${err.message}`);
        tree.warned = true;
      },
    );
  }

  private bump(tree: Tree): void {
    if (tree.timer) {
      tree.pending = true;
      return;
    }
    this.reload(tree);
    tree.timer = setTimeout(() => {
      tree.timer = undefined;
      if (tree.pending && !tree.closed) {
        tree.pending = false;
        this.reload(tree);
      }
    }, this.limits.debounceMs);
    tree.timer.unref();
  }

  private reload(tree: Tree): void {
    tree.generation = ++this.counter;
    this.onChange([...tree.refs]);
  }
}
