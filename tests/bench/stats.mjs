// Small helpers for benchmark figures: percentiles, formatting, a text table.
import { existsSync, readFileSync } from 'node:fs';

/** The 1, 5 and 15 minute load averages (every figure on a shared machine moves with them), or n/a off Linux. */
export const loadavg = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a');

/** @param {number[]} values @param {number} p 0..100 (nearest rank) */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** @param {number[]} values */
export const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

/** @param {number[]} values */
export function summary(values) {
  const fmt = (n) => n.toFixed(2);
  return `p50 ${fmt(percentile(values, 50))} ms, p99 ${fmt(percentile(values, 99))} ms, max ${fmt(Math.max(...values))} ms (n=${values.length})`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A number for a table cell: `n/a` for what could not be measured, never "NaN". */
export function num(value, digits = 1, unit = '') {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'n/a';
  return `${value.toFixed(digits)}${unit}`;
}

/** Milliseconds as ms below 10 s, else as seconds (latencies span 5 ms to 30 s). */
export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10_000 ? `${value.toFixed(value < 100 ? 1 : 0)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** Whether a figure meets its target, as a short mark beside it (printed, never asserted). */
export const verdict = (ok) => (ok === undefined || ok === null ? '   ' : ok ? 'ok ' : 'MISS');

/**
 * A plain-text table: the first row is the header; columns are padded to
 * their widest cell, numbers right-aligned.
 * @param {string[][]} rows
 */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const right = (text) => /^[-+<>≤≥~]?\d/.test(text) || text === 'n/a';
  const render = (row) => row.map((cell, c) => (right(String(cell)) && c > 0 ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join('  ');
  return [render(rows[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(render)].join('\n');
}
