// Bounded polling for things that happen asynchronously (log flush, config reload).
// Fails with the last observed value instead of hanging; no fixed sleeps in tests.
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 10_000, intervalMs = 50, what = "condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
