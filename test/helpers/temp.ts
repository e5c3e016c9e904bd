import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory for one test's data. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
}
