// A token bucket for the send rate: `ratePerSecond` tokens a second, at most one second's worth saved up. Workers
// take tokens before claiming messages, so a slow rate never leaves claimed rows waiting (and "in flight") for long.
const SECOND = 1000;

export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = Math.max(1, ratePerSecond);
    this.last = clock();
  }

  get unlimited(): boolean {
    return !(this.ratePerSecond > 0);
  }

  private refill(): void {
    const at = this.clock();
    this.tokens = Math.min(
      Math.max(1, this.ratePerSecond),
      this.tokens + ((at - this.last) * this.ratePerSecond) / SECOND,
    );
    this.last = at;
  }

  /** Takes between 1 and `max` tokens, waiting for the first one; returns how many it took. */
  async take(max: number, signal?: AbortSignal): Promise<number> {
    if (this.unlimited) return max;
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        const taken = Math.min(max, Math.floor(this.tokens));
        this.tokens -= taken;
        return taken;
      }
      const wait = Math.ceil(((1 - this.tokens) * SECOND) / this.ratePerSecond);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (signal?.aborted) return 0;
    }
  }

  /** Gives back tokens taken but not used (fewer messages were due than tokens taken). */
  refund(count: number): void {
    if (this.unlimited || count <= 0) return;
    this.tokens = Math.min(Math.max(1, this.ratePerSecond), this.tokens + count);
  }
}
