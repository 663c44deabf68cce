// A typed array sorts numbers natively, faster than a comparator over a plain array: the baselines sort their samples
// for every slot of every detector, a large share of a backtest's CPU time. Same order, so the same results.
function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function medianOfSorted(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function upperTrimmedMeanOfSorted(sorted: Float64Array, share: number): number {
  const kept = Math.max(1, Math.ceil(sorted.length * (1 - share)));
  let sum = 0;
  for (let i = 0; i < kept; i++) sum += sorted[i]!;
  return sum / kept;
}

/** Median of a non-empty list (the list is not modified). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  return medianOfSorted(sortedCopy(values));
}

/** Median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], centre = median(values)): number {
  return median(values.map((v) => Math.abs(v - centre)));
}

/** MAD × 1.4826 estimates the standard deviation of normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

/** Mean of the values left after dropping the largest `share` of them (a past burst does not lift the level). */
export function upperTrimmedMean(values: readonly number[], share = 0.1): number {
  if (values.length === 0) throw new RangeError("mean of an empty list");
  return upperTrimmedMeanOfSorted(sortedCopy(values), share);
}

/** The median, the MAD from it and the upper-trimmed mean of a non-empty list, sorting it once for the first and last. */
export function robustSummary(values: readonly number[]): { median: number; mad: number; upperTrimmedMean: number } {
  if (values.length === 0) throw new RangeError("summary of an empty list");
  const sorted = sortedCopy(values);
  const centre = medianOfSorted(sorted);
  const deviations = sorted.map((v) => Math.abs(v - centre)).sort();
  return { median: centre, mad: medianOfSorted(deviations), upperTrimmedMean: upperTrimmedMeanOfSorted(sorted, 0.1) };
}

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let k = logFactorials.length; k <= n; k++) logFactorials.push(logFactorials[k - 1]! + Math.log(k));
  return logFactorials[n]!;
}

/** −log10 P(X ≥ x) for X ~ Poisson(λ): how surprising a count of x is when λ is expected (0 when x ≤ λ). */
export function poissonSurprise(x: number, lambda: number): number {
  const k0 = Math.floor(x);
  if (k0 <= lambda) return 0;
  if (lambda <= 0) return Number.POSITIVE_INFINITY;
  const logPmf = (k: number) => k * Math.log(lambda) - lambda - logFactorial(k);
  // Sum the tail in log space relative to its first term; past the mode the terms only shrink.
  const first = logPmf(k0);
  let sum = 1;
  let term = 1;
  for (let k = k0 + 1; k < k0 + 100_000; k++) {
    term *= lambda / k;
    sum += term;
    if (term < sum * 1e-15) break;
  }
  return -(first + Math.log(sum)) / Math.LN10;
}
