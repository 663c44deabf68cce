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
