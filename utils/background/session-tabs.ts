import { sendMessage } from '../messaging';
import { SESSION_PORT, isSessionHello, isWhatsAppUrl } from '../protocol/session-port';
import type { TabGoneReason } from '../session/machine';
import { whatsAppTabOf } from './senders';
import type { SessionService } from './session-service';
import type { TabEventsReceiver } from './tab-events';

/** How long a tab gets to answer "is your page still there?". */
const ALIVE_TIMEOUT_MS = 3000;
/** A closed tab's port closes a moment before the tab is gone: wait this long before asking what happened. */
const SETTLE_MS = 300;

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), ms))]);

/**
 * Tells the session which WhatsApp tabs are live: the content script's port
 * (its disconnect is the page going away, while the background runs; it also
 * carries the page's events, utils/background/tab-events.ts), tabs
 * closed, discarded or finished loading something else, and at every start
 * of the background a question to each tab it remembers (a stopped background
 * hears no disconnect).
 */
export function watchWhatsAppTabs(session: SessionService, tabEvents: TabEventsReceiver) {
  const extensionId = browser.runtime.id;

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== SESSION_PORT) return;
    const tabId = whatsAppTabOf(port.sender, extensionId);
    if (tabId === null) return port.disconnect();
    const events = tabEvents.forPort((ack) => port.postMessage(ack));
    let pageId: string | null = null;
    port.onMessage.addListener((message) => {
      if (events.events(message)) return;
      if (isSessionHello(message)) {
        pageId = message.pageId;
        events.hello(message.pageId);
        void session.tabConnected(tabId, message.pageId);
      }
    });
    port.onDisconnect.addListener(() => {
      events.closed();
      if (pageId !== null) tabEvents.forget(pageId);
      setTimeout(() => void whyGone(tabId).then((reason) => session.tabGone(tabId, reason)), SETTLE_MS);
    });
  });

  /** Closed (the tab is gone), navigated (it shows another site now), or stopped (reloaded, crashed, updated). */
  async function whyGone(tabId: number): Promise<TabGoneReason> {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab) return 'closed';
    // The URL of a page elsewhere is hidden from us (no host permission there): not ours any more.
    return isWhatsAppUrl(tab.url) || isWhatsAppUrl(tab.pendingUrl) ? 'disconnected' : 'navigated';
  }

  /** The page in a tab, if our content script is there to say. */
  const pageIn = (tabId: number) =>
    withTimeout(sendMessage('tabAlive', undefined, tabId), ALIVE_TIMEOUT_MS).then(
      (answer) => answer?.pageId ?? null,
      () => null,
    );

  async function verify(tabId: number, pageId: string | null) {
    const current = await pageIn(tabId);
    if (current === null) await session.tabGone(tabId, await whyGone(tabId));
    else if (pageId !== null && current !== pageId) await session.tabGone(tabId, 'disconnected'); // reloaded while we slept
  }

  browser.tabs.onRemoved.addListener((tabId) => void session.tabGone(tabId, 'closed'));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.discarded) return void session.tabGone(tabId, 'discarded');
    // A load finished in a tab we know: still our page? (Without the "tabs"
    // permission the new URL of a page elsewhere is not given to us.)
    if (change.status !== 'complete') return;
    void session.tabs().then((tabs) => {
      const known = tabs.find((tab) => tab.tabId === tabId);
      if (known) return verify(tabId, known.pageId);
    });
  });

  void session.tabs().then((tabs) => Promise.all(tabs.map(({ tabId, pageId }) => verify(tabId, pageId))));
}
