import { CHANNEL_HELLO, CHANNEL_READY, CHANNEL_TOKEN } from '../protocol/page-channel';
import { parsePageBatch, type PageMessage } from '../protocol/page-messages';

export interface PageBridgeOptions {
  /** Called with each message that fits the protocol, in the order the page sent them. */
  onMessage(message: PageMessage): void;
  /**
   * Called with the reason a message was dropped (logged by the caller): once
   * per refused hello, and once per batch that had items dropped, naming the
   * first (a burst of bad items is one log line, not thousands).
   */
  onDrop(reason: string): void;
}

/** One line for a batch's dropped items: the first's reason, and how many more of the batch went with it. */
export function describeDrops(dropped: readonly string[], size: number): string {
  return dropped.length === 1 ? dropped[0]! : `${dropped[0]} (and ${dropped.length - 1} more of the batch's ${size} items)`;
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
    // Each port message is a batch; each item is checked on its own, so a bad
    // one is dropped (and said) while the good ones around it pass, in order.
    port.onmessage = (message) => {
      const { messages, dropped, size } = parsePageBatch(message.data);
      for (const item of messages) {
        try {
          options.onMessage(item);
        } catch (error) {
          dropped.push(`${item.kind}: not handled: ${String(error).slice(0, 200)}`); // the rest of the batch still goes
        }
      }
      if (dropped.length) options.onDrop(describeDrops(dropped, size));
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
