// How each runtime starts: the interpreter and runtime client mounted into the sandbox (read-only, at Lambda's
// paths: the interpreter under /var/lang, the runtime client under /var/runtime), the command line, and the
// runtime's own environment variables (PATH, LD_LIBRARY_PATH, NODE_PATH, ... with Lambda's values).
//
// Unsandboxed (`--unsafe-functions`) the same runtime runs from its host paths.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LANG_DIR, RUNTIME_DIR, TASK_DIR, type Mount } from '../sandbox.ts';
import { RuntimeUnavailableError } from './node-versions.ts';

export interface RuntimeLaunch {
  /** Read-only mounts besides the code (/var/task). */
  mounts: Mount[];
  /** Program and arguments, as the process sees them. */
  argv: string[];
  /** The runtime's environment variables (the function's and Lambda's own are added by the caller). */
  env: Record<string, string>;
  /** Where the code is, as the process sees it (LAMBDA_TASK_ROOT). */
  taskRoot: string;
}

export interface LaunchRequest {
  runtime: string;
  memoryMb: number;
  /** The code's host directory. */
  taskRoot: string;
  sandboxed: boolean;
  /** The host's Node.js binary for this runtime (nodejs*.x). */
  nodeBinary?: string;
}

const NODE_CLIENT_DIR = join(import.meta.dirname, 'node');
const PYTHON_CLIENT_DIR = join(import.meta.dirname, 'python');
const LAMBDA_PATH = `${LANG_DIR}/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin`;
const LAMBDA_LD_LIBRARY_PATH = `${LANG_DIR}/lib:/lib64:/usr/lib64:${RUNTIME_DIR}:${RUNTIME_DIR}/lib:${TASK_DIR}:${TASK_DIR}/lib:/opt/lib`;

export function launchOf(r: LaunchRequest): RuntimeLaunch {
  if (r.runtime.startsWith('nodejs')) return nodeLaunch(r);
  if (r.runtime.startsWith('python')) return pythonLaunch(r);
  // provided.al2023: the code's own `bootstrap` speaks the Runtime API.
  if (!r.sandboxed) {
    return { mounts: [], argv: [join(r.taskRoot, 'bootstrap')], taskRoot: r.taskRoot, env: { PATH: '/usr/local/bin:/usr/bin:/bin', LAMBDA_RUNTIME_DIR: r.taskRoot } };
  }
  return {
    mounts: [],
    argv: [`${TASK_DIR}/bootstrap`],
    taskRoot: TASK_DIR,
    env: { PATH: LAMBDA_PATH, LD_LIBRARY_PATH: LAMBDA_LD_LIBRARY_PATH, LAMBDA_RUNTIME_DIR: RUNTIME_DIR },
  };
}

function nodeLaunch(r: LaunchRequest): RuntimeLaunch {
  const node = r.nodeBinary ?? process.execPath;
  const major = /^nodejs(\d+)/.exec(r.runtime)?.[1] ?? '';
  // V8's heap sized from the function's memory as Lambda's Node bootstrap sizes it; the cgroup enforces the rest.
  const flags = [...nodeMemoryArgs(r.memoryMb), '--no-warnings'];
  const env = { AWS_EXECUTION_ENV: `AWS_Lambda_${r.runtime}` };
  if (!r.sandboxed) {
    return {
      mounts: [],
      argv: [node, ...flags, join(NODE_CLIENT_DIR, 'bootstrap.mjs')],
      taskRoot: r.taskRoot,
      env: { ...env, PATH: `${dirname(node)}:/usr/local/bin:/usr/bin:/bin`, LAMBDA_RUNTIME_DIR: NODE_CLIENT_DIR, NODE_PATH: `${r.taskRoot}/node_modules:${r.taskRoot}` },
    };
  }
  return {
    mounts: [
      { host: node, inside: `${LANG_DIR}/bin/node` },
      { host: NODE_CLIENT_DIR, inside: RUNTIME_DIR },
    ],
    argv: [`${LANG_DIR}/bin/node`, ...flags, `${RUNTIME_DIR}/bootstrap.mjs`],
    taskRoot: TASK_DIR,
    env: {
      ...env,
      PATH: LAMBDA_PATH,
      LD_LIBRARY_PATH: LAMBDA_LD_LIBRARY_PATH,
      LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
      NODE_PATH: `/opt/nodejs/node${major}/node_modules:/opt/nodejs/node_modules:${RUNTIME_DIR}/node_modules:${RUNTIME_DIR}:${TASK_DIR}`,
    },
  };
}

function pythonLaunch(r: LaunchRequest): RuntimeLaunch {
  const py = pythonFor(r.runtime);
  const env = { AWS_EXECUTION_ENV: `AWS_Lambda_${r.runtime}` };
  // -u: unbuffered, so what a function prints before it is killed (timeout, out of memory) still reaches the log.
  if (!r.sandboxed) {
    return {
      mounts: [],
      argv: [py.binary, '-u', join(PYTHON_CLIENT_DIR, 'bootstrap.py')],
      taskRoot: r.taskRoot,
      env: { ...env, PATH: `${dirname(py.binary)}:/usr/local/bin:/usr/bin:/bin`, LAMBDA_RUNTIME_DIR: PYTHON_CLIENT_DIR, PYTHONPATH: PYTHON_CLIENT_DIR },
    };
  }
  // An interpreter outside /usr (pyenv's) is mounted whole at /var/lang, where Lambda keeps its Python.
  const mounts: Mount[] = [{ host: PYTHON_CLIENT_DIR, inside: RUNTIME_DIR }];
  let binary = py.binary;
  if (py.prefix) {
    mounts.push({ host: py.prefix, inside: LANG_DIR });
    binary = `${LANG_DIR}/${py.binary.slice(py.prefix.length + 1)}`;
  }
  return {
    mounts,
    argv: [binary, '-u', `${RUNTIME_DIR}/bootstrap.py`],
    taskRoot: TASK_DIR,
    env: { ...env, PATH: LAMBDA_PATH, LD_LIBRARY_PATH: LAMBDA_LD_LIBRARY_PATH, LAMBDA_RUNTIME_DIR: RUNTIME_DIR, PYTHONPATH: RUNTIME_DIR },
  };
}

export interface PythonInterpreter {
  /** Host path of the interpreter. */
  binary: string;
  /** Its installation prefix when outside /usr (mounted at /var/lang in the sandbox). */
  prefix?: string;
  /** The interpreter's version (major.minor). */
  version: string;
}

const pythons = new Map<string, PythonInterpreter>();

/**
 * The machine's Python for a python3.X runtime: python3.X from /usr/bin or /usr/local/bin, else from pyenv's
 * versions, else the machine's python3 (whatever its minor version: the REPORT of a cold start says which).
 */
export function pythonFor(runtime: string): PythonInterpreter {
  let found = pythons.get(runtime);
  if (found) return found;
  const want = runtime.replace(/^python/, '');
  found = findPython(want);
  pythons.set(runtime, found);
  return found;
}

function findPython(want: string): PythonInterpreter {
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    const p = join(dir, `python${want}`);
    if (existsSync(p)) return { binary: p, version: want }; // under /usr: already in the sandbox
  }
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const versions = existsSync(pyenv) ? readdirSync(pyenv).filter((v) => v.startsWith(`${want}.`) && /^\d+\.\d+\.\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
  for (const v of versions) {
    const p = join(pyenv, v, 'bin', `python${want}`);
    if (existsSync(p)) return { binary: p, prefix: join(pyenv, v), version: want };
  }
  let fallback: string;
  try {
    fallback = realpathSync('/usr/bin/python3');
  } catch {
    throw new RuntimeUnavailableError(`Gatehouse cannot run python${want}: no Python ${want} and no /usr/bin/python3 on this machine (install python3).`);
  }
  return { binary: fallback, version: /python(\d+\.\d+)$/.exec(fallback)?.[1] ?? '3' };
}

/**
 * V8's heap limits for a Node runtime of `memoryMb`, as Lambda's Node.js bootstrap computes them: a tenth of the
 * memory for the young generation (half of it per semi-space), the rest for the old generation. Without the
 * semi-space cap V8 grows the young generation to its default of 128 MB under a steady allocation rate.
 */
export function nodeMemoryArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${memoryMb - newSpace}`];
}
