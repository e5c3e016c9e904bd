// Running the `gatehouse import` CLI as a child process, for test/cli/import.test.ts and test/security/import-cli.test.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDataDir } from '../helpers/gatehouse.ts';

export const MAIN = join(ROOT, 'src/cli/main.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `gatehouse import ARGS` with an empty environment but PATH, HOME and `env`. */
export function runImport(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, 'import', ...args], { env: { PATH: process.env.PATH, HOME: tempDataDir(), ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
