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

/*
 * What travels on the port from the page world, once it is open: either one
 * PageMessage object (a session or hook report, a command reply, a
 * subscription drop: rare, and sent at once), or a batch of the hot path's
 * items (one per presence or message stanza; utils/page/batch-sender.ts
 * decides when a batch goes), in the order the hook saw them.
 *
 * A batch is one flat array of primitives, ITEM_SLOTS slots per item. The
 * browser clones that several times more cheaply than an object per signal
 * (no key strings, no nested objects to walk: measured in Chromium, ~1 µs an
 * item against ~4 µs for an array per item and ~10 for an object), and the
 * state and the source travel as small numbers, which the content script
 * reads without allocating a string for each. Slots:
 *   presence  [PRESENCE_ITEM, chatId, participant, state, lastSeen, at, source, lid]
 *   message   [MESSAGE_ITEM,  chatId, participant, at, null, null, null, null]
 * `participant` is null when it is the chat itself (a 1:1 chat), `state` the
 * index in PRESENCE_STATES, `source` the index in SIGNAL_SOURCES, `lid` null
 * when there is none. Every item has the same width, so the content script
 * reads each one on its own: a bad item (a field that fails its check, an
 * unknown kind) is dropped and the others pass (parsePageBatch in
 * utils/protocol/page-messages.ts).
 */

/** The most items one batch carries: the page posts at this size, the content script reads no more. */
export const MAX_BATCH = 512;
/** Slots per item in a batch. */
export const ITEM_SLOTS = 8;
export const PRESENCE_ITEM = 0;
export const MESSAGE_ITEM = 1;
/** A signal's `source` by its slot value. */
export const SIGNAL_SOURCES = ['stanza', 'model'] as const;
/** A batch as the page posts it: ITEM_SLOTS primitives per item (a presence item's state: its index in PRESENCE_STATES). */
export type PageBatch = Array<string | number | null>;
