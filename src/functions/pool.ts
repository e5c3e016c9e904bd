// Warm execution environments, keyed by what they run (function, version, configuration revision, code generation).
// A request reuses the most recently used idle environment with its key (warm start) or starts a new one (cold
// start); environments idle longer than the idle timeout are stopped, as Lambda reclaims them.
import { ExecutionEnvironment, type EnvironmentHost, type EnvironmentSpec } from './environment.ts';

export class EnvironmentPool {
  private readonly idle = new Map<string, ExecutionEnvironment[]>();
  private readonly live = new Set<ExecutionEnvironment>();
  private readonly retired = new WeakSet<ExecutionEnvironment>();
  private readonly idleTimeoutMs: number;
  private readonly reaper: NodeJS.Timeout;
  private readonly host: EnvironmentHost;

  constructor(idleTimeoutMs: number, host: EnvironmentHost) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.host = host;
    this.reaper = setInterval(() => this.reap(), Math.min(idleTimeoutMs, 30_000));
    this.reaper.unref();
  }

  /** An idle environment for the key, most recently used first. */
  take(key: string): ExecutionEnvironment | undefined {
    const list = this.idle.get(key);
    while (list?.length) {
      const env = list.pop()!;
      if (env.state === 'idle') return env;
    }
    return undefined;
  }

  async create(spec: EnvironmentSpec, baseEnv: Record<string, string>, onStrayOutput: (lines: string[]) => void): Promise<ExecutionEnvironment> {
    const env = new ExecutionEnvironment(spec, this.host, onStrayOutput);
    this.live.add(env);
    env.onDeath = () => this.live.delete(env);
    try {
      await env.start(baseEnv);
    } catch (err) {
      env.kill();
      throw err;
    }
    return env;
  }

  /** Back to the pool after an invocation; dead or retired environments are dropped. */
  give(env: ExecutionEnvironment): void {
    if (env.state !== 'idle' || this.retired.has(env)) {
      env.kill();
      return;
    }
    let list = this.idle.get(env.spec.key);
    if (!list) this.idle.set(env.spec.key, (list = []));
    list.push(env);
  }

  /** Stops the environments that match (code or configuration changed, function deleted); busy ones when done. */
  retire(match: (spec: EnvironmentSpec) => boolean): void {
    for (const env of this.live) {
      if (!match(env.spec)) continue;
      if (env.state === 'idle') env.kill();
      else this.retired.add(env);
    }
    for (const [key, list] of this.idle) {
      const keep = list.filter((env) => env.state === 'idle');
      if (keep.length) this.idle.set(key, keep);
      else this.idle.delete(key);
    }
  }

  /** Environments currently alive, for benchmarks and tests. */
  environments(prefix = ''): ExecutionEnvironment[] {
    return [...this.live].filter((e) => e.spec.key.startsWith(prefix));
  }

  private reap(): void {
    const cutoff = Date.now() - this.idleTimeoutMs;
    for (const [key, list] of this.idle) {
      const keep = list.filter((env) => {
        if (env.state === 'idle' && env.lastUsed < cutoff) {
          env.kill();
          return false;
        }
        return env.state === 'idle';
      });
      if (keep.length) this.idle.set(key, keep);
      else this.idle.delete(key);
    }
  }

  closeAll(): void {
    clearInterval(this.reaper);
    for (const env of this.live) env.kill();
    this.live.clear();
    this.idle.clear();
  }
}
