import { CHANNEL_HELLO, CHANNEL_READY, CHANNEL_TOKEN } from '../protocol/page-channel';
import { parsePageMessage, type PageMessage } from '../protocol/page-messages';

export interface PageBridgeOptions {
  /** Called with each message that fits the protocol. */
  onMessage(message: PageMessage): void;
  /** Called with the reason a message was dropped (logged by the caller). */
  onDrop(reason: string): void;
}

/**
 * The content script's half of the token exchange: hands `token` to the
 * page-world script now (it may be listening already) and once more when it
 * says it is, only while no page script has run (a "ready" after that could
 * come from a page script, which must not learn the token). Returns a stop.
 */
export function offerToken(doc: Document, token: string): () => void {
  const handOver = () => doc.dispatchEvent(new CustomEvent(CHANNEL_TOKEN, { detail: token }));
  const stop = () => doc.removeEventListener(CHANNEL_READY, onReady, true);
  const onReady = () => {
    stop();
    if (doc.scripts.length === 0) handOver();
  };
  doc.addEventListener(CHANNEL_READY, onReady, true);
  handOver();
  doc.addEventListener('DOMContentLoaded', stop, { once: true });
  return stop;
}

/**
 * The content-script end of the private channel (the handshake is described
 * in utils/protocol/page-channel.ts). Must be called at document_start, before
 * any page script runs: the token goes out only then, and our capture listener
 * is the first to see every hello.
 *
 * The content script's world is its own: page scripts cannot replace the DOM
 * functions it calls. A hello is taken only with this token; any other is
 * refused (its port closed), stopped before page listeners see it, and said.
 */
export function listenForPageWorld(win: Window, options: PageBridgeOptions) {
  const token = crypto.randomUUID();
  let port: MessagePort | undefined;

  const onHello = (event: MessageEvent) => {
    const data = event.data as Record<string, unknown> | null;
    if (event.source !== win || typeof data !== 'object' || data === null || !(CHANNEL_HELLO in data)) return;
    event.stopImmediatePropagation(); // no page listener gets to see a port or a token
    const refusal = data[CHANNEL_HELLO] !== token ? 'a hello with a wrong token, refused' : port ? 'a second hello, refused: the channel is open' : null;
    if (refusal) {
      event.ports[0]?.close();
      return options.onDrop(refusal);
    }
    port = event.ports[0];
    if (!port) return options.onDrop('hello without a port');
    port.onmessage = (message) => {
      const parsed = parsePageMessage(message.data);
      if (parsed.ok) options.onMessage(parsed.message);
      else options.onDrop(parsed.reason);
    };
  };
  win.addEventListener('message', onHello, true);
  const stopOffering = offerToken(win.document, token);

  return {
    /** Sends to the page world; false while the hook has not said hello yet. */
    post(message: unknown): boolean {
      if (!port) return false;
      port.postMessage(message);
      return true;
    },
    close() {
      win.removeEventListener('message', onHello, true);
      stopOffering();
      port?.close();
    },
  };
}
