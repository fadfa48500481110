/**
 * Constants shared by both ends of the page ↔ content-script channel. Kept
 * apart from the schemas so the page-world bundle stays free of the validator.
 *
 * The handshake (utils/page/channel.ts, utils/content/page-bridge.ts): both
 * scripts run at document_start, before any page script, in an order neither
 * browser promises. Whichever runs second completes it, synchronously:
 * - the page-world script listens for CHANNEL_TOKEN on `document`, then
 *   dispatches CHANNEL_READY;
 * - the content script dispatches CHANNEL_TOKEN (the one-time token as the
 *   event's detail) at once, and again on CHANNEL_READY;
 * - the page-world script takes the first token, dispatches CHANNEL_READY once
 *   more so the content script stops listening too, and posts CHANNEL_HELLO
 *   with the token and a MessagePort; the content script takes the port only
 *   from a hello carrying its token.
 */

/** The tag of the hello that hands the MessagePort to the content script. */
export const CHANNEL_HELLO = 'wa-presence-companion/hello';
/** Page world → content script: listening for the token now. */
export const CHANNEL_READY = 'wa-presence-companion/ready';
/** Content script → page world: the token (a string detail). */
export const CHANNEL_TOKEN = 'wa-presence-companion/token';
