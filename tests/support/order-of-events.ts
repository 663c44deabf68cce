// Bounds proven by the order of events rather than by a clock (a loaded machine stretches every duration): whatever
// holds the work up — a silent server, a hung mail server, a busy pool — is let go only once the work has settled, or
// at a fallback far past the bound under test. Work that settled before the let-go kept its bound; work that only
// settled after it waited for the let-go instead, and a test can say so without ever reading the time.

export interface Settlement<T> {
  /** The work settled while the hold was still on. */
  settledBeforeLetGo: boolean;
  outcome: PromiseSettledResult<T>;
}

/** Awaits `work`, then calls `letGo`; or calls `letGo` at `fallbackMs` if the work has not settled by then. */
export async function settleBeforeLetGo<T>(
  work: Promise<T>,
  letGo: () => unknown,
  fallbackMs: number,
): Promise<Settlement<T>> {
  let letGoCalled = false;
  const release = async () => {
    if (letGoCalled) return;
    letGoCalled = true;
    await letGo();
  };
  const fallback = setTimeout(() => void release(), fallbackMs);
  const [outcome] = await Promise.allSettled([work]);
  const settledBeforeLetGo = !letGoCalled;
  clearTimeout(fallback);
  await release();
  return { settledBeforeLetGo, outcome: outcome! };
}
