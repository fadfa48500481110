import { CHANNEL_HELLO, CHANNEL_READY, CHANNEL_TOKEN } from '../protocol/page-channel';
import type { PageMessage } from '../protocol/page-messages';
import { createBatchSender } from './batch-sender';

/*
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
/** An accessor as the browser defines it, found up the prototype chain (where it lives differs between engines). */
function nativeAccessor(instance: object, name: string): PropertyDescriptor {
  for (let proto: object | null = instance; proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor;
  }
  throw new Error(`${name} missing`);
}
const NativeChannel = MessageChannel;
const postToWindow = window.postMessage as (message: unknown, targetOrigin: string, transfer: Transferable[]) => void;
const postToPort = MessagePort.prototype.postMessage;
const setOnMessage = nativeAccessor(new NativeChannel().port1, 'onmessage').set!;
const scriptsOf = nativeAccessor(document, 'scripts').get!;
const lengthOf = nativeAccessor(document.getElementsByTagName('script'), 'length').get!;
const listen = EventTarget.prototype.addEventListener;
const unlisten = EventTarget.prototype.removeEventListener;
const dispatch = EventTarget.prototype.dispatchEvent;
const NativeCustomEvent = CustomEvent;

export interface PageChannel {
  /** Presence and messages go in the next batch; anything else at once, after them (batch-sender.ts). */
  send(message: PageMessage): void;
  /** The one handler of what the content script sends (commands). */
  onMessage(handler: (data: unknown) => void): void;
}

/** The batches' clock (a page script may replace Date.now later: it would see every post). */
const dateNow = Date.now;

const noPageScriptYet = (doc: Document) => lengthOf.call(scriptsOf.call(doc)) === 0;

/**
 * The page world's half of the token exchange: calls `accept` with the content
 * script's token, at most once, and only while no page script has run.
 * Synchronous when the content script ran first; otherwise when it runs.
 */
export function awaitToken(doc: Document, accept: (token: string) => void): void {
  let taken = false;
  const onToken = (event: Event) => {
    const token = (event as CustomEvent).detail;
    if (taken || typeof token !== 'string' || !noPageScriptYet(doc)) return;
    taken = true;
    unlisten.call(doc, CHANNEL_TOKEN, onToken, true);
    dispatch.call(doc, new NativeCustomEvent(CHANNEL_READY)); // the content script stops listening
    accept(token);
  };
  listen.call(doc, CHANNEL_TOKEN, onToken, true);
  dispatch.call(doc, new NativeCustomEvent(CHANNEL_READY));
  // The content script did not run (yet): stop listening before the page could talk.
  if (!taken) listen.call(doc, 'DOMContentLoaded', () => unlisten.call(doc, CHANNEL_TOKEN, onToken, true), { once: true });
}

/**
 * Opens the channel once the token came, and calls `onOpen` with it: the
 * hello carries the token and the port, posted to our own origin only.
 * Never calls `onOpen` without our content script.
 */
export function connectToContent(win: Window, onOpen: (channel: PageChannel) => void): void {
  awaitToken(win.document, (token) => {
    const { port1, port2 } = new NativeChannel();
    postToWindow.call(win, { [CHANNEL_HELLO]: token }, win.location.origin, [port2]);
    // The batches' tick: a message to ourselves on a channel no one else holds.
    const ticks = new NativeChannel();
    let tick: (() => void) | undefined;
    setOnMessage.call(ticks.port1, () => {
      const run = tick;
      tick = undefined;
      run?.();
    });
    const sender = createBatchSender({
      post: (batch) => postToPort.call(port1, batch),
      schedule: (next) => {
        tick = next;
        postToPort.call(ticks.port2, null);
      },
      now: dateNow,
    });
    onOpen({
      send: sender.send,
      onMessage: (handler) => setOnMessage.call(port1, (message: MessageEvent) => handler(message.data)),
    });
  });
}
