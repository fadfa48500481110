import { onMessage } from '../messaging';
import { hookStatusStorage, meStorage } from '../storage';
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

  // Reports of several capabilities arrive together: apply them one after the
  // other so that no read-modify-write loses another's update.
  let hookUpdates = Promise.resolve();
  onMessage('hookReport', ({ data: report }) => {
    const { capability, status, detail, version } = report;
    if (status === 'unavailable') console.warn(LOG_PREFIX, `${capability} unavailable: ${detail ?? ''}`);
    hookUpdates = hookUpdates.then(async () => {
      const current = await hookStatusStorage.getValue();
      await hookStatusStorage.setValue({ ...current, [capability]: { status, ...(detail ? { detail } : {}), version } });
    });
    return hookUpdates;
  });
}
