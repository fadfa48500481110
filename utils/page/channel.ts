import { CHANNEL_HELLO } from '../protocol/page-channel';
import type { PageMessage } from '../protocol/page-messages';

/**
 * The page-world end of the private channel to the content script.
 *
 * The content script registers its `message` listener at document_start,
 * before any page script can, puts a one-time token on our <script> element,
 * and takes exactly one hello carrying that token, stopping the event there so
 * no page listener ever sees the port. From then on everything travels over
 * the MessagePort, which only the two of us hold: page scripts can neither
 * forge presence nor read anything back.
 */
export function openChannel(win: Window, token: string): MessagePort {
  const { port1, port2 } = new MessageChannel();
  win.postMessage({ [CHANNEL_HELLO]: token }, win.location.origin, [port2]);
  return port1;
}

export function sendToContent(port: MessagePort, message: PageMessage): void {
  port.postMessage(message);
}

/** Reads (and removes) the token the content script left on our script element. */
export function takeChannelToken(script: HTMLOrSVGScriptElement | null): string | undefined {
  const element = script as HTMLScriptElement | null;
  const token = element?.dataset?.channel;
  if (element && token) delete element.dataset.channel;
  return token;
}
