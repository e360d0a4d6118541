/**
 * Elapsed-time readings for the figures services log (stats.millis). process.hrtime, not
 * `performance.now()`: the first read of the `performance` global loads perf_hooks and its timing
 * modules (~1.5 ms, measured), a cost every short command paid for a subtraction.
 */

/** Milliseconds from an arbitrary fixed origin: monotonic, for differences only. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
