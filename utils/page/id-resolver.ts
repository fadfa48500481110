import { WA, tryRequire, type WaWindow } from './wa-modules';

/**
 * Since 2026 WhatsApp keys 1:1 presence by LID (`…@lid`), while chats and team
 * backends use phone ids (`…@c.us`). This maps a LID to its phone id through
 * WhatsApp's own contact API — a synchronous, local lookup, so it can run per
 * stanza — and keeps the LID when no phone is known. Other ids pass through.
 */
export function createIdResolver(win: WaWindow): (jid: string) => string {
  return (jid) => {
    if (!jid.endsWith('@lid')) return jid;
    const widFactory = tryRequire(win, WA.widFactory);
    const apiContact = tryRequire(win, WA.apiContact);
    if (!widFactory?.createWid || !apiContact?.getPhoneNumber) return jid;
    try {
      const phone = apiContact.getPhoneNumber(widFactory.createWid(jid));
      const serialized = phone?._serialized ?? (phone ? String(phone) : '');
      return serialized.endsWith('@c.us') ? serialized : jid;
    } catch {
      return jid;
    }
  };
}
