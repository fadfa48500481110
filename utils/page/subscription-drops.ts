/** WhatsApp clears every model's subscription in one go: one report for the lot. */
export const DROP_REPORT_DELAY_MS = 1000;

/**
 * Reports once that WhatsApp dropped its presence subscriptions, a moment
 * after the last sign of it, and only while the session is connected: after
 * a disconnect the session's own "connected" report renews them instead.
 */
export function createDropReporter(isConnected: () => boolean, report: () => void, delayMs = DROP_REPORT_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (isConnected()) report();
    }, delayMs);
  };
}
