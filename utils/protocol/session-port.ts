/**
 * The long-lived port from the WhatsApp tab's content script to the
 * background: open = that page is live; its disconnect = the page went away
 * (reload, navigation, close, crash, discard, extension update). The content
 * script says which page load it is in its first message.
 */
export const SESSION_PORT = 'whatsapp-tab';

export interface SessionHello {
  type: 'hello';
  /** Random per page load. */
  pageId: string;
}

export function isSessionHello(message: unknown): message is SessionHello {
  const hello = message as SessionHello | null;
  return hello?.type === 'hello' && typeof hello.pageId === 'string' && /^[\w-]{8,64}$/.test(hello.pageId);
}

/** The only pages the content script runs in. */
export const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';
export const isWhatsAppUrl = (url: string | undefined) => !!url && (url === WHATSAPP_ORIGIN || url.startsWith(`${WHATSAPP_ORIGIN}/`));
