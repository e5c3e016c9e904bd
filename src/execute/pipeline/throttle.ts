// Step 6 of DESIGN.md's list: throttling (account, stage, method, usage plan, usage plan per method) and quotas.
// Not enforced yet (issue 11); stored settings are named in a WARN line by src/observe/unenforced.ts.
import type { Routed } from '../invocation.ts';

export function throttle(_inv: Routed): void | Promise<void> {}
