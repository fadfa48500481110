import { PRESENCE_LAYERS } from '../protocol/capabilities';
import type { HookReport, SessionReport, SessionState } from '../protocol/page-messages';
import { hookStatusStorage, meStorage, ownPresenceStorage, whatsappSessionStorage, type SessionStatus } from '../storage';
import type { DeliveryService } from './delivery-service';
import { createSerialQueue } from './serial';
import type { PresenceService } from './presence-service';
import type { SettingsCache } from './settings-cache';

/**
 * WAHA's statuses for the page's session states. A resume is the same session
 * reconnecting (STARTING, nothing forgotten); another window, an unreachable
 * phone, a ban or an unsupported build stop it until the operator acts.
 */
const STATUS_BY_STATE: Record<SessionReport['state'], SessionStatus> = {
  loading: 'STARTING',
  qr: 'SCAN_QR_CODE',
  logged_out: 'SCAN_QR_CODE',
  resuming: 'STARTING',
  connected: 'WORKING',
  conflict: 'FAILED',
  phone_unreachable: 'FAILED',
  blocked: 'FAILED',
  unsupported: 'FAILED',
};

/**
 * WAHA's `session.status` from the page's session reports and the tab's life:
 * loading → STARTING, QR → SCAN_QR_CODE, connected → WORKING, the hook failing
 * → FAILED, the tab closed → STOPPED. Only changes are sent.
 */
export function createSessionService(
  settings: SettingsCache,
  delivery: DeliveryService,
  presence: PresenceService,
  hooks: { onConnected(): void },
) {
  const forgetOwnPresence = () => ownPresenceStorage.removeValue();

  const writes = createSerialQueue('session status');

  function setStatus(status: SessionStatus, tabId: number | null, detail: { state?: SessionState; waState?: string } = {}) {
    return writes(async () => {
      const current = await whatsappSessionStorage.getValue();
      await whatsappSessionStorage.setValue({ tabId, status, ...detail });
      if (current.status !== status) {
        await delivery.send({ event: 'session.status', timestamp: Date.now(), lane: 'session', payloadFor: () => ({ status }) });
      }
    });
  }

  browser.tabs.onRemoved.addListener((tabId) => {
    void whatsappSessionStorage.getValue().then(async (session) => {
      if (session.tabId !== tabId) return;
      await Promise.all([presence.clear(), forgetOwnPresence()]);
      await setStatus('STOPPED', null);
    });
  });

  return {
    async onSessionReport(report: SessionReport, tabId: number | null) {
      if (report.state === 'connected' && report.me) {
        settings.get().me = report.me; // before the next event's envelope is built
        await meStorage.setValue(report.me);
      }
      if (report.state === 'logged_out') {
        settings.get().me = null;
        await Promise.all([meStorage.setValue(null), presence.clear(), forgetOwnPresence()]);
      }
      await setStatus(STATUS_BY_STATE[report.state], tabId, { state: report.state, ...(report.waState ? { waState: report.waState } : {}) });
      if (report.state === 'connected') hooks.onConnected();
      if (STATUS_BY_STATE[report.state] === 'FAILED') console.warn('[wa-presence] WhatsApp Web session:', report.state, report.waState ?? '');
    },
    /** FAILED when no presence layer is live: the other capabilities only limit what the operator can do. */
    async onHookReport(report: HookReport, tabId: number | null) {
      if (report.status !== 'unavailable' || !PRESENCE_LAYERS.includes(report.capability)) return;
      const hooks = await hookStatusStorage.getValue();
      if (PRESENCE_LAYERS.every((layer) => hooks[layer]?.status === 'unavailable')) await setStatus('FAILED', tabId);
    },
  };
}
