// Small helpers for benchmark figures.

/** @param {number[]} values @param {number} p 0..100 */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** @param {number[]} values */
export function summary(values) {
  const fmt = (n) => n.toFixed(2);
  return `p50 ${fmt(percentile(values, 50))} ms, p99 ${fmt(percentile(values, 99))} ms, max ${fmt(Math.max(...values))} ms (n=${values.length})`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
