import { CHANNEL_HELLO, CHANNEL_READY, CHANNEL_TOKEN } from '../protocol/page-channel';
import type { PageMessage } from '../protocol/page-messages';

/**
 * The page-world end of the private channel to the content script (the
 * handshake is described in utils/protocol/page-channel.ts).
 *
 * This module is evaluated at document_start, before any page script: the
 * functions the channel runs on are copied now, so a page script that later
 * replaces `MessagePort.prototype.postMessage`, `window.postMessage` or
 * `MessageChannel` neither reads what we send nor changes how. The token
 * reaches us only while no page script has run (no <script> element exists
 * yet, counted with the untampered getters), so a page script cannot hand us
 * a token of its own either.
 */
const NativeChannel = MessageChannel;
const postToWindow = window.postMessage;
const postToPort = MessagePort.prototype.postMessage;
const setOnMessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!.set!;
const scriptsOf = Object.getOwnPropertyDescriptor(Document.prototype, 'scripts')!.get!;
const lengthOf = Object.getOwnPropertyDescriptor(HTMLCollection.prototype, 'length')!.get!;
const listen = EventTarget.prototype.addEventListener;
const unlisten = EventTarget.prototype.removeEventListener;
const dispatch = EventTarget.prototype.dispatchEvent;
const NativeCustomEvent = CustomEvent;

export interface PageChannel {
  send(message: PageMessage): void;
  /** The one handler of what the content script sends (commands). */
  onMessage(handler: (data: unknown) => void): void;
}

const noPageScriptYet = (doc: Document) => lengthOf.call(scriptsOf.call(doc)) === 0;

/**
 * Waits (synchronously, within document_start) for the content script's token,
 * then opens the channel and calls `onOpen` with it. Never calls it if the
 * token does not come before the page's own scripts.
 */
export function connectToContent(win: Window, onOpen: (channel: PageChannel) => void): void {
  const doc = win.document;
  let taken = false;
  const onToken = (event: Event) => {
    const token = (event as CustomEvent).detail;
    if (taken || typeof token !== 'string' || !noPageScriptYet(doc)) return;
    taken = true;
    unlisten.call(doc, CHANNEL_TOKEN, onToken, true);
    dispatch.call(doc, new NativeCustomEvent(CHANNEL_READY)); // the content script stops listening
    const { port1, port2 } = new NativeChannel();
    (postToWindow as (message: unknown, targetOrigin: string, transfer: Transferable[]) => void).call(win, { [CHANNEL_HELLO]: token }, win.location.origin, [port2]);
    onOpen({
      send: (message) => postToPort.call(port1, message),
      onMessage: (handler) => setOnMessage.call(port1, (message: MessageEvent) => handler(message.data)),
    });
  };
  listen.call(doc, CHANNEL_TOKEN, onToken, true);
  dispatch.call(doc, new NativeCustomEvent(CHANNEL_READY));
  // The content script did not run (yet): stop listening before the page could talk.
  if (!taken) listen.call(doc, 'DOMContentLoaded', () => unlisten.call(doc, CHANNEL_TOKEN, onToken, true), { once: true });
}
