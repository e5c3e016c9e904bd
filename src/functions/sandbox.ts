// The sandbox an execution environment runs in: Debian's bubblewrap (`bwrap`) gives each environment its own
// mount, pid and IPC namespaces, as Lambda's Firecracker micro-VMs give each environment its own machine:
//
//   /usr (and the /bin, /lib, /lib64, /sbin links)  read-only, the machine's
//   /etc                                            a read-only subset without secrets (no shadow, no ssl/private),
//                                                   a passwd/group of its own
//   /var/task                                       the function's code, read-only
//   /var/runtime, /var/lang                         the runtime client and interpreter, read-only (runtimes/index.ts)
//   /tmp                                            a private tmpfs of the function's EphemeralStorage size
//   /proc, /dev                                     the environment's own (its processes only; null, zero, urandom...)
//
// Nothing else of the machine is there: not Gatehouse's data directory, source tree or environment, nor other
// functions' code. The function runs as an unprivileged user (as root Gatehouse drops to uid/gid 65534 with
// setpriv: no capabilities, no new privileges; unprivileged, bwrap maps the caller into a user namespace). Killing
// bwrap kills the namespace's init, and the kernel then kills every process in the namespace, double forks and
// `setsid` included. The network is shared, as a Lambda function reaches the network.
//
// `--unsafe-functions` runs functions as plain processes of Gatehouse's user instead (the operator's choice, said
// at start); without bwrap and without that flag, invocations fail with `SandboxUnavailable`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The unprivileged user functions run as when Gatehouse runs as root (Debian's `nobody`). */
export const SANDBOX_UID = 65534;

/** Where a function sees its code, runtime and interpreter, as on Lambda. */
export const TASK_DIR = '/var/task';
export const RUNTIME_DIR = '/var/runtime';
export const LANG_DIR = '/var/lang';

/** A host path mounted read-only into the sandbox. */
export interface Mount {
  host: string;
  inside: string;
}

export interface SandboxedCommand {
  command: string;
  args: string[];
  /**
   * bwrap's options, written to the child's fd 3 (`--args 3`), so that the sandbox's /proc/1/cmdline shows neither
   * host paths nor the function's environment.
   */
  argsFd?: Buffer;
}

/** What `/etc` holds inside: only what resolvers, TLS clients and the dynamic linker read. */
const ETC_ENTRIES = [
  'resolv.conf', 'hosts', 'host.conf', 'nsswitch.conf', 'gai.conf', 'networks', 'protocols', 'services',
  'ssl/certs', 'ssl/openssl.cnf', 'ca-certificates', 'ca-certificates.conf', 'alternatives', 'localtime', 'mime.types',
  'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'os-release', 'debian_version',
];

export type SandboxMode = 'bwrap' | 'unsafe' | 'unavailable';

export class Sandbox {
  readonly mode: SandboxMode;
  /** Why functions cannot run (mode 'unavailable'), naming the fix. */
  readonly problem: string | undefined;
  private readonly bwrap: string;
  private readonly setpriv: string | undefined;
  private readonly asRoot: boolean;
  private readonly etcDir: string;
  private readonly etc: Mount[];

  private constructor(mode: SandboxMode, opts: { bwrap?: string; setpriv?: string; problem?: string; etcDir?: string }) {
    this.mode = mode;
    this.problem = opts.problem;
    this.bwrap = opts.bwrap ?? '';
    this.setpriv = opts.setpriv;
    this.asRoot = process.getuid?.() === 0;
    this.etcDir = opts.etcDir ?? '';
    this.etc = mode === 'bwrap' ? this.etcMounts() : [];
  }

  /**
   * Finds bwrap (and setpriv when running as root) and checks that a sandbox can actually be made here (a
   * container without user namespaces may forbid it). `stateDir` holds the sandbox's generated /etc/passwd and
   * /etc/group.
   */
  static detect(o: { unsafe: boolean; stateDir: string; bwrap?: string }): Sandbox {
    if (o.unsafe) return new Sandbox('unsafe', {});
    const fix = 'install bubblewrap (`apt-get install bubblewrap`) or start Gatehouse with --unsafe-functions to run functions without a sandbox';
    const bwrap = o.bwrap ? (isExecutable(o.bwrap) ? o.bwrap : undefined) : findProgram('bwrap');
    if (!bwrap) return new Sandbox('unavailable', { problem: `Gatehouse cannot run functions: bubblewrap (${o.bwrap || 'bwrap'}) is not installed; ${fix}.` });
    const root = process.getuid?.() === 0;
    const setpriv = root ? findProgram('setpriv') : undefined;
    if (root && !setpriv) {
      return new Sandbox('unavailable', { problem: `Gatehouse cannot run functions: setpriv (util-linux) is needed to run them as an unprivileged user; install util-linux or start Gatehouse with --unsafe-functions.` });
    }
    const etcDir = join(o.stateDir, 'etc');
    mkdirSync(etcDir, { recursive: true });
    writeFileSync(join(etcDir, 'passwd'), `root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:${SANDBOX_UID}:${SANDBOX_UID}:nobody:/tmp:/usr/sbin/nologin\n`);
    writeFileSync(join(etcDir, 'group'), `root:x:0:\nnogroup:x:${SANDBOX_UID}:\n`);
    const sandbox = new Sandbox('bwrap', { bwrap, setpriv, etcDir });
    const probe = sandbox.wrap({ mounts: [], argv: ['/usr/bin/true'], env: {}, tmpBytes: 1 << 20 });
    const args = [...probe.argsFd!.toString().split('\0').slice(0, -1), ...probe.args.slice(2)];
    const r = spawnSync(probe.command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, env: {} });
    if (r.status !== 0) {
      const why = (r.stderr?.toString().trim() || r.error?.message || `exit status ${r.status}`).split('\n')[0];
      return new Sandbox('unavailable', { problem: `Gatehouse cannot run functions: bubblewrap cannot create a sandbox here (${why}); allow user namespaces or start Gatehouse with --unsafe-functions.` });
    }
    return sandbox;
  }

  /**
   * The command that runs `argv` (paths as seen inside) in a new sandbox with `mounts` (read-only), a private
   * /tmp of `tmpBytes` and exactly `env`. In unsafe mode, `argv` as is.
   */
  wrap(o: { mounts: Mount[]; argv: string[]; env: Record<string, string>; tmpBytes: number; taskRoot?: string }): SandboxedCommand {
    if (this.mode !== 'bwrap') return { command: o.argv[0]!, args: o.argv.slice(1) };
    const a: string[] = [
      '--unshare-pid', '--unshare-ipc', '--unshare-cgroup-try', '--die-with-parent', '--new-session',
      '--ro-bind', '/usr', '/usr',
      '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin', '--symlink', 'usr/lib', '/lib',
    ];
    if (existsSync('/usr/lib64')) a.push('--symlink', 'usr/lib64', '/lib64');
    a.push('--proc', '/proc', '--dev', '/dev');
    a.push('--perms', '1777', '--size', String(o.tmpBytes), '--tmpfs', '/tmp');
    const mounts = [...this.etc, ...(o.taskRoot ? [{ host: o.taskRoot, inside: TASK_DIR }] : []), ...o.mounts];
    // Parents made explicitly: bwrap would create them 0700, out of the function user's reach.
    const dirs = new Set<string>();
    for (const m of mounts) {
      for (let d = m.inside.slice(0, m.inside.lastIndexOf('/')); d.length > 1; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
    }
    for (const d of [...dirs].sort()) a.push('--perms', '0755', '--dir', d);
    for (const m of mounts) a.push('--ro-bind', m.host, m.inside);
    a.push('--chdir', o.taskRoot ? TASK_DIR : '/', '--clearenv');
    for (const [k, v] of Object.entries(o.env)) a.push('--setenv', k, v);
    if (!this.asRoot) a.push('--unshare-user');
    // The options (mounts, environment) go through fd 3; bwrap takes the command itself from its command line only.
    const command = this.asRoot
      ? [this.setpriv!, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', ...o.argv]
      : o.argv;
    return { command: this.bwrap, args: ['--args', '3', '--', ...command], argsFd: Buffer.from(a.map((s) => `${s}\0`).join('')) };
  }

  /** The line `gatehouse serve` prints at start about how functions run (undefined when sandboxed as intended). */
  notice(): string | undefined {
    if (this.mode === 'unsafe') return 'WARNING: --unsafe-functions: functions run unsandboxed, as processes of Gatehouse\'s own user, and can read and change everything it can.';
    if (this.mode === 'unavailable') return `WARNING: ${this.problem}`;
    return undefined;
  }

  private etcMounts(): Mount[] {
    const mounts: Mount[] = [
      { host: join(this.etcDir, 'passwd'), inside: '/etc/passwd' },
      { host: join(this.etcDir, 'group'), inside: '/etc/group' },
    ];
    for (const e of ETC_ENTRIES) {
      const host = join('/etc', e);
      if (existsSync(host)) mounts.push({ host, inside: host });
    }
    return mounts;
  }
}

function findProgram(name: string): string | undefined {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', ...(process.env.PATH ?? '').split(delimiter)]) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The uid owning the TCP socket at the other end of a loopback connection (from /proc/net/tcp and tcp6, which list
 * every socket of the network namespace the sandbox shares with Gatehouse): `localPort` is the peer's port,
 * `remotePort` Gatehouse's. Undefined when not found.
 */
export function loopbackPeerUid(peerPort: number, ownPort: number): number | undefined {
  const local = `:${peerPort.toString(16).toUpperCase().padStart(4, '0')} `;
  const remote = `:${ownPort.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
      const f = line.trim().split(/\s+/);
      if (f.length < 8 || !`${f[1]} `.endsWith(local) || !`${f[2]} `.endsWith(remote)) continue;
      return Number(f[7]);
    }
  }
  return undefined;
}
