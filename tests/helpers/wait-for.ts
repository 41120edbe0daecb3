// Waiting for a state instead of sleeping: `step` moves things along (a sync), `check` says
// whether the state has been reached; gives up with the last value after `timeoutMs`.
export async function syncUntil<T>(step: () => Promise<unknown>, check: () => T | Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} (last: ${JSON.stringify(last)})`);
    await step();
  }
}
