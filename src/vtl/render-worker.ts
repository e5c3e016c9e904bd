// A render-pool worker thread (see render-pool.ts): renders one mapping template at a time with the full limits
// and posts back the output, the overrides the template set in $context, or the error. Templates are compiled
// once per worker (compileTemplate caches by source).
import { parentPort } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { compileTemplate } from './index.ts';
import { VtlLimitError, VtlRuntimeError, VtlSyntaxError } from './errors.ts';
import type { PoolJob, PoolReply, PoolError } from './render-pool.ts';

function describe(e: unknown): PoolError {
  if (e instanceof VtlLimitError) return { kind: 'limit', limit: e.limit, message: e.message };
  if (e instanceof VtlRuntimeError) return { kind: 'runtime', message: e.message, line: e.line, column: e.column, javaException: e.javaException };
  if (e instanceof VtlSyntaxError) return { kind: 'syntax', message: e.message, line: e.line, column: e.column };
  // A RangeError from a template that recursed too deep, or another failure of the render itself.
  return { kind: 'other', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

// Renders run at a lower CPU priority than the event loop: on a busy machine, the server's other requests go first.
// Linux gives each thread its own nice value; /proc/thread-self names this thread's id. Best effort elsewhere.
try {
  const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
  if (tid > 0) setPriority(tid, 10);
} catch {
  // Not Linux, or not allowed: the renders keep the process's priority.
}

parentPort!.on('message', (job: PoolJob) => {
  let reply: PoolReply;
  try {
    const r = compileTemplate(job.source).renderWithOverrides({
      input: { body: job.body, params: job.params },
      context: job.context,
      stageVariables: job.stageVariables,
    });
    reply = { id: job.id, output: r.output, requestOverride: r.requestOverride, responseOverride: r.responseOverride };
  } catch (e) {
    reply = { id: job.id, error: describe(e) };
  }
  parentPort!.postMessage(reply);
});
