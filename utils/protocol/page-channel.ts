/**
 * Constants shared by both ends of the page ↔ content-script channel. Kept
 * apart from the schemas so the page-world bundle stays free of the validator.
 */

/** The tag of the one-time hello that hands the MessagePort to the content script. */
export const CHANNEL_HELLO = 'wa-presence-companion/hello';
