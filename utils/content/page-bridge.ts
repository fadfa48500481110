import { CHANNEL_HELLO } from '../protocol/page-channel';
import { parsePageMessage, type PageMessage } from '../protocol/page-messages';

export interface PageBridgeOptions {
  /** Called with each message that fits the protocol. */
  onMessage(message: PageMessage): void;
  /** Called with the reason a message was dropped (logged by the caller). */
  onDrop(reason: string): void;
}

/**
 * The content-script end of the private channel (see utils/page/channel.ts).
 * Must be called at document_start, before any page script runs, so that our
 * capture listener is the first to see the hello and can hide it from the page.
 * Returns the token to hand to the injected script, and a function to close.
 */
export function listenForPageWorld(win: Window, options: PageBridgeOptions) {
  const token = crypto.randomUUID();
  let port: MessagePort | undefined;

  const onHello = (event: MessageEvent) => {
    if (event.source !== win || event.data?.[CHANNEL_HELLO] !== token) return;
    event.stopImmediatePropagation(); // no page listener gets to see the port
    win.removeEventListener('message', onHello, true);
    port = event.ports[0];
    if (!port) return options.onDrop('hello without a port');
    port.onmessage = (message) => {
      const parsed = parsePageMessage(message.data);
      if (parsed.ok) options.onMessage(parsed.message);
      else options.onDrop(parsed.reason);
    };
  };
  win.addEventListener('message', onHello, true);

  return {
    token,
    /** Sends to the page world; false while the hook has not said hello yet. */
    post(message: unknown): boolean {
      if (!port) return false;
      port.postMessage(message);
      return true;
    },
    close() {
      win.removeEventListener('message', onHello, true);
      port?.close();
    },
  };
}
