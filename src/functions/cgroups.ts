// Control groups for execution environments (cgroup v1): every process an environment starts, whatever it does
// (children, double forks, setsid), is counted in the environment's memory cgroup, limited to the function's
// MemorySize (swap included), and in its pids cgroup, limited to Lambda's 1,024 processes and threads. The
// kernel's OOM killer acts inside the group; Gatehouse notices the kill (memory.oom_control's oom_kill counter)
// and stops the whole environment with Runtime.OutOfMemory, as Lambda does.
//
// Groups are made in `/sys/fs/cgroup/{memory,pids}/gatehouse/PID-N/env-M` (one PID-N directory per running
// Gatehouse, removed at close; those of a Gatehouse that died without closing are removed by the next one), apart
// from the group Gatehouse itself runs in, which its supervisor may want to remove. Where the hierarchy's root is not
// writable, under Gatehouse's own group. When cgroups cannot be written at all (not root, no v1 memory controller),
// environment.ts falls back to sampling the process tree's private memory.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MOUNT = '/sys/fs/cgroup';
/** Lambda's quota on processes and threads per execution environment. */
export const MAX_PROCESSES = 1024;

export class CgroupRoot {
  private readonly memoryDir: string;
  private readonly pidsDir: string | undefined;
  private next = 0;

  private constructor(memoryDir: string, pidsDir: string | undefined) {
    this.memoryDir = memoryDir;
    this.pidsDir = pidsDir;
  }

  /** Gatehouse's directory of environment groups, or undefined when the memory controller is not writable. */
  static open(): CgroupRoot | undefined {
    const memory = makeGroupDir('memory');
    if (!memory) return undefined;
    return new CgroupRoot(memory, makeGroupDir('pids'));
  }

  /** A new group limited to `memoryMb`; its `procs` files are where the environment's first process goes. */
  create(memoryMb: number): EnvironmentCgroup | undefined {
    const name = `env-${++this.next}`;
    try {
      const memory = join(this.memoryDir, name);
      mkdirSync(memory);
      const bytes = String(memoryMb * 1024 * 1024);
      writeFileSync(join(memory, 'memory.limit_in_bytes'), bytes);
      // Swap counts too (memsw exists only with swap accounting); the limit must be set after limit_in_bytes.
      if (existsSync(join(memory, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(memory, 'memory.memsw.limit_in_bytes'), bytes);
      let pids: string | undefined;
      if (this.pidsDir) {
        try {
          pids = join(this.pidsDir, name);
          mkdirSync(pids);
          writeFileSync(join(pids, 'pids.max'), String(MAX_PROCESSES));
        } catch {
          pids = undefined;
        }
      }
      return new EnvironmentCgroup(memory, pids);
    } catch {
      return undefined;
    }
  }

  /** Kills what is left in Gatehouse's groups and removes them (killed processes take a moment to be gone). */
  async close(): Promise<void> {
    for (let attempt = 0; attempt < 40; attempt++) {
      let left = false;
      for (const dir of [this.memoryDir, this.pidsDir]) {
        if (!dir) continue;
        for (const child of safeReaddir(dir)) {
          new EnvironmentCgroup(join(dir, child), undefined).killAll();
          removeGroup(join(dir, child));
        }
        removeGroup(dir);
        left ||= existsSync(dir);
      }
      if (!left) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export class EnvironmentCgroup {
  readonly memoryDir: string;
  readonly pidsDir: string | undefined;

  constructor(memoryDir: string, pidsDir: string | undefined) {
    this.memoryDir = memoryDir;
    this.pidsDir = pidsDir;
  }

  /** The files a process writes its pid to, to join the group (`/dev/null` stands in for a missing pids group). */
  get procsFiles(): [string, string] {
    return [join(this.memoryDir, 'cgroup.procs'), this.pidsDir ? join(this.pidsDir, 'cgroup.procs') : '/dev/null'];
  }

  /** How many processes the kernel's OOM killer has killed in the group. */
  oomKills(): number {
    const text = readOr(join(this.memoryDir, 'memory.oom_control'));
    const m = /oom_kill (\d+)/.exec(text);
    return m ? Number(m[1]) : 0;
  }

  /** The group's peak memory use, in bytes. */
  peakBytes(): number {
    return Number(readOr(join(this.memoryDir, 'memory.max_usage_in_bytes')) || 0);
  }

  /** SIGKILL to every process in the group. */
  killAll(): void {
    for (const line of readOr(join(this.memoryDir, 'cgroup.procs')).split('\n')) {
      const pid = Number(line);
      if (!pid) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Removes the group once its processes are gone (retried for a while: killed processes take a moment to exit). */
  remove(attempt = 0): void {
    const dirs = [this.memoryDir, this.pidsDir].filter((d): d is string => !!d && existsSync(d));
    for (const dir of dirs) removeGroup(dir);
    if (dirs.some((d) => existsSync(d)) && attempt < 50) {
      this.killAll();
      setTimeout(() => this.remove(attempt + 1), 100).unref();
    }
  }
}

let instances = 0;

/** `${mount}/${controller}/gatehouse/PID-N` (else under Gatehouse's own group), made if writable. */
function makeGroupDir(controller: string): string | undefined {
  const mount = join(MOUNT, controller);
  if (!existsSync(join(mount, 'cgroup.procs'))) return undefined;
  const own = readOr('/proc/self/cgroup')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[1]?.split(',').includes(controller))?.[2];
  const name = `${process.pid}-${++instances}`;
  for (const parent of [join(mount, 'gatehouse'), ...(own && own !== '/' ? [join(mount, own, 'gatehouse')] : [])]) {
    removeStale(parent);
    const dir = join(parent, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cgroup.procs'), ''); // probe: writable?
      return dir;
    } catch (err) {
      // An empty write to cgroup.procs is refused with EINVAL but proves the file is writable.
      if ((err as NodeJS.ErrnoException).code === 'EINVAL' && existsSync(dir)) return dir;
      removeGroup(dir);
    }
  }
  return undefined;
}

/** Groups left by a Gatehouse that did not close (kill -9): its environments died with it, the directories stayed. */
function removeStale(parent: string): void {
  for (const name of safeReaddir(parent)) {
    const pid = /^(\d+)-\d+$/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid || existsSync(`/proc/${pid}`)) continue;
    for (const child of safeReaddir(join(parent, name))) removeGroup(join(parent, name, child));
    removeGroup(join(parent, name));
  }
}

function removeGroup(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // busy (processes still exiting) or gone
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}
