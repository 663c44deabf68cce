// A small, fast, seedable PRNG for the replay generator. Nothing in the replay may use Math.random or crypto: the same
// seed must give the same customers, the same incident and the same UUIDs, so the ground truth is reproducible.
//
// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state) passes PractRand to many terabytes and
// costs a handful of 32-bit operations per draw. Independent streams (one per customer, one for the attack plan…) are
// derived by hashing (seed, stream, index) with a splitmix32-style mixer, so a customer's data does not depend on how
// the run is chunked or on which other customers exist.

/** Mixes a 32-bit value (splitmix32 finaliser). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** A 32-bit hash of a string (FNV-1a then mixed), for string seeds and stream names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const HEX_CODES = Array.from("0123456789abcdef", (ch) => ch.charCodeAt(0));
const DASH = 45;
// Scratch buffer for UUIDs: String.fromCharCode over it yields a flat string (concatenation would build a rope of
// ~20 pieces per UUID, which costs real GC time at tens of millions of rows).
const UUID_CODES: number[] = new Array<number>(36).fill(0);

function putHex(position: number, value: number, digits: number): void {
  for (let k = digits - 1; k >= 0; k--) {
    UUID_CODES[position + k] = HEX_CODES[value & 15]!;
    value >>>= 4;
  }
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0, index = 0) {
    const s = mix32(seed >>> 0);
    const t = mix32((s ^ mix32(stream >>> 0)) >>> 0);
    const u = mix32((t ^ mix32((index >>> 0) + 0x632be5ab)) >>> 0);
    // A high index word so that indices ≥ 2^32 would still differ (not needed today: customers < 10^8).
    this.a = s ^ u;
    this.b = t;
    this.c = u;
    this.d = 1; // the counter
    for (let i = 0; i < 12; i++) this.next(); // warm up: decorrelate nearby seeds
  }

  /** The next uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Picks by weight from a precomputed table (see `weightedTable`). */
  pickWeighted<T>(table: WeightedTable<T>): T {
    const r = this.float() * table.total;
    // Binary search over the cumulative weights.
    let lo = 0;
    let hi = table.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo]!;
  }

  /** Approximately normal (Irwin–Hall, 4 draws), mean 0, sd 1. Good enough for amounts and times. */
  normal(): number {
    return (this.float() + this.float() + this.float() + this.float() - 2) * Math.sqrt(3);
  }

  /** A small Poisson-distributed count (Knuth; fine for means below ~20). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k += 1;
      p *= this.float();
    }
    return k;
  }

  /** `n` random bytes as lowercase hex. */
  hex(bytes: number): string {
    let out = "";
    for (let i = 0; i < bytes; i += 4) {
      const v = this.next();
      out += HEX[v & 0xff]! + HEX[(v >>> 8) & 0xff]! + HEX[(v >>> 16) & 0xff]! + HEX[v >>> 24]!;
    }
    return out.slice(0, bytes * 2);
  }

  /**
   * A version-4-shaped UUID drawn from this stream (deterministic, not cryptographically random). With `prefix`, the
   * first 32 bits are that value instead of random ones, so IDs generated in prefix order land next to each other in
   * a B-tree (like time-ordered UUIDs): bulk-loading millions of rows then touches each index page once instead of
   * at random, which is most of the cost of a large load's primary keys.
   */
  uuid(prefix?: number): string {
    const drawn = this.next();
    const a = prefix === undefined ? drawn : prefix >>> 0;
    const b = this.next();
    const c = this.next();
    const d = this.next();
    putHex(0, a, 8);
    UUID_CODES[8] = DASH;
    putHex(9, b >>> 16, 4);
    UUID_CODES[13] = DASH;
    putHex(14, (b & 0x0fff) | 0x4000, 4); // version 4
    UUID_CODES[18] = DASH;
    putHex(19, ((c >>> 16) & 0x3fff) | 0x8000, 4); // variant 10xx
    UUID_CODES[23] = DASH;
    putHex(24, c & 0xffff, 4);
    putHex(28, d, 8);
    return String.fromCharCode.apply(null, UUID_CODES);
  }

  /** `count` distinct integers from [0, n), in ascending order (Floyd's algorithm: O(count) memory). */
  sample(n: number, count: number): number[] {
    if (count > n) throw new Error(`cannot sample ${count} of ${n}`);
    const chosen = new Set<number>();
    for (let j = n - count; j < n; j++) {
      const t = this.int(0, j);
      chosen.add(chosen.has(t) ? j : t);
    }
    return [...chosen].sort((x, y) => x - y);
  }
}

export interface WeightedTable<T> {
  items: T[];
  cumulative: number[];
  total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}

/** Normalises a user-supplied seed (number or text) to a 32-bit integer. */
export function normaliseSeed(seed: number | string): number {
  if (typeof seed === "number" && Number.isInteger(seed)) return seed >>> 0;
  const text = String(seed);
  return /^\d+$/.test(text) ? Number(BigInt(text) & 0xffffffffn) : hashString(text);
}
