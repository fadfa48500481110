import { SESSION_PORT, type SessionHello } from '../protocol/session-port';

/**
 * This page's end of the session port (utils/protocol/session-port.ts). When
 * the background stops, the port closes; it is opened again the next time the
 * page has something to say (`ensure`), not at once, so an idle WhatsApp tab
 * does not keep waking the background.
 */
export function createSessionPort(pageId: string) {
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  function connect() {
    try {
      port = browser.runtime.connect({ name: SESSION_PORT });
      port.postMessage({ type: 'hello', pageId } satisfies SessionHello);
      port.onDisconnect.addListener(() => {
        port = null;
      });
    } catch (error) {
      port = null; // the extension was updated or removed: this page's script is orphaned
      console.warn('[wa-presence] cannot reach the background:', String(error));
    }
  }
  connect();
  return {
    ensure() {
      if (!port) connect();
    },
  };
}
