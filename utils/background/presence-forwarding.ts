import { onMessage } from '../messaging';
import { meStorage } from '../storage';
import { toFlatPresence, toWahaPresence } from '../webhook/waha-payload';
import { extensionEnvironment } from './environment';
import { forwardEvent } from './forward-event';

const LOG_PREFIX = '[wa-presence]';

/** Wires the content script's reports to webhook delivery. */
export function registerPresenceForwarding(): void {
  const environment = extensionEnvironment(
    browser.runtime.getManifest().version,
    navigator.userAgent,
    navigator.platform || 'unknown',
  );

  onMessage('presenceSignal', ({ data: signal }) =>
    forwardEvent(
      {
        event: 'presence.update',
        timestamp: signal.at,
        payloadFor: (format) => (format === 'flat' ? toFlatPresence(signal) : toWahaPresence(signal)),
      },
      environment,
    ),
  );

  onMessage('sessionReport', async ({ data: report }) => {
    if (report.state === 'connected' && report.me) await meStorage.setValue(report.me);
    if (report.state === 'logged_out') await meStorage.setValue(null);
  });

  onMessage('hookReport', ({ data: report }) => {
    const line = `${report.capability} ${report.status}${report.detail ? `: ${report.detail}` : ''}`;
    if (report.status === 'live') console.info(LOG_PREFIX, line);
    else console.warn(LOG_PREFIX, line);
  });
}
