/**
 * Times as the popup says them ("5 min ago", "until 14:05"). Pure: the caller
 * passes `now`, so wording is testable and one clock tick re-renders them all.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago". */
export function agoText(thenMs: number, nowMs: number): string {
  const elapsed = Math.max(0, nowMs - thenMs);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** Local wall-clock time, 24-hour "HH:MM" (WhatsApp's own style in most locales). */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** "until 14:05 (9 min left)", "(40 s left)" in the last minute, "(ending)" once it is due. */
export function untilText(untilMs: number, nowMs: number): string {
  const left = untilMs - nowMs;
  const rest =
    left <= 0 ? 'ending'
    : left < MINUTE ? `${Math.ceil(left / 1000)} s left`
    : left < HOUR ? `${Math.floor(left / MINUTE)} min left`
    : `${Math.floor(left / HOUR)} h left`;
  return `until ${clockTime(untilMs)} (${rest})`;
}

/** agoText with seconds in the first minute ("12 s ago"), for a line that says how fresh a remote command is. */
export function secondsAgoText(thenMs: number, nowMs: number): string {
  const elapsed = Math.max(0, nowMs - thenMs);
  if (elapsed < 1_000) return 'just now';
  if (elapsed < MINUTE) return `${Math.floor(elapsed / 1000)} s ago`;
  return agoText(thenMs, nowMs);
}

/** "in 40 s", "in 3 min", "in 2 h", "now" once it is due: when a retry comes. */
export function inText(atMs: number, nowMs: number): string {
  const left = atMs - nowMs;
  if (left <= 0) return 'now';
  if (left < MINUTE) return `in ${Math.ceil(left / 1000)} s`;
  if (left < HOUR) return `in ${Math.ceil(left / MINUTE)} min`;
  return `in ${Math.floor(left / HOUR)} h`;
}
