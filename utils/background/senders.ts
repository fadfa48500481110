import { isWhatsAppUrl } from '../protocol/session-port';

/** What the background knows of who sent a message (runtime.MessageSender, the part we read). */
export interface Sender {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number };
}

/**
 * The WhatsApp tab a message came from: our own content script, in the top
 * frame of a web.whatsapp.com page. Null for anything else.
 */
export function whatsAppTabOf(sender: Sender | undefined, extensionId: string): number | null {
  if (!sender || sender.id !== extensionId || (sender.frameId ?? 0) !== 0) return null;
  const tabId = sender.tab?.id;
  return typeof tabId === 'number' && tabId >= 0 && isWhatsAppUrl(sender.url) ? tabId : null;
}

/** One of the extension's own pages (popup, options): the operator, not a web page or a content script. */
export function isExtensionPage(sender: Sender | undefined, extensionId: string, extensionOrigin: string): boolean {
  return !!sender && sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}
