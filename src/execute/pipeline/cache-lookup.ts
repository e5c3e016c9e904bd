// Step 8 of DESIGN.md's list: the stage cache lookup. Not enforced yet (issue 11); stored settings are named in a
// WARN line by src/observe/unenforced.ts.
import type { Routed } from '../invocation.ts';

export function cacheLookup(_inv: Routed): void | Promise<void> {}
