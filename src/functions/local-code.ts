// Local development: functions whose code is a directory on this machine (`gatehouse functions deploy DIR`).
// Each directory is watched (fs.watch, recursive); any change bumps its generation, which is part of the
// environment key, and stops its warm environments — the next invocation cold-starts on the new code, with no
// restart of Gatehouse and nothing checked on the hot path.
import { watch, type FSWatcher } from 'node:fs';

export class LocalCodeWatcher {
  private readonly dirs = new Map<string, { generation: number; watcher: FSWatcher | undefined }>();
  private readonly onChange: (dir: string) => void;

  constructor(onChange: (dir: string) => void) {
    this.onChange = onChange;
  }

  /** The directory's current generation; starts watching it on first use. */
  generation(dir: string): number {
    let entry = this.dirs.get(dir);
    if (!entry) {
      entry = { generation: 0, watcher: undefined };
      const e = entry;
      try {
        e.watcher = watch(dir, { recursive: true, persistent: false }, () => {
          e.generation++;
          this.onChange(dir);
        });
        e.watcher.on('error', () => {
          e.watcher?.close();
          this.dirs.delete(dir);
        });
      } catch {
        // Not watchable (removed, permissions): invocations report the missing code themselves.
      }
      this.dirs.set(dir, entry);
    }
    return entry.generation;
  }

  close(): void {
    for (const e of this.dirs.values()) e.watcher?.close();
    this.dirs.clear();
  }
}
