// What a benchmark run checks and times besides its figures.

/** A property the run must hold: reported, and the run exits non-zero, but it goes on to print its figures. */
export function check(condition: boolean, message: string): void {
  if (!condition) {
    console.error(`CHECK FAILED: ${message}`);
    process.exitCode = 1;
  }
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
}

/** Calls per second when `workers` concurrent loops share `count` calls of `call`, each loop taking the next one. */
export async function callsPerSecond(count: number, workers: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < count) {
          next += 1;
          await call();
        }
      }),
    ),
  );
  return count / (ms / 1000);
}
