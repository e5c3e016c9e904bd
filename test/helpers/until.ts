// Waiting for something a test cannot be told about (a log line written within 100 ms, a child's output, an
// environment starting): polled, with a bound so a test that never sees it fails instead of hanging.

/** Resolves once `cond` holds (checked every 10 ms); rejects naming `what` if it does not within `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
