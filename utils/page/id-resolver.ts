import { WA, tryRequire, type WaWindow } from './wa-modules';

/** A LID's phone, once found, is taken as known this long (ms) before WhatsApp is asked again (a number can change). */
export const PHONE_KNOWN_MS = 60_000;
/** LIDs whose phone is kept at most (contacts with presence in one page session stay far fewer). */
const MAX_KNOWN = 5_000;

/**
 * Since 2026 WhatsApp keys 1:1 presence by LID (`…@lid`), while chats and team
 * backends use phone ids (`…@c.us`). This maps a LID to its phone id through
 * WhatsApp's own contact API — a synchronous, local lookup, so it can run per
 * stanza — and keeps the LID when no phone is known. Other ids pass through.
 * A phone found is kept for a minute, so a burst of one contact's stanzas asks
 * WhatsApp once (its Wid factory parses the id each time); a LID without a
 * phone is asked about every time, so a phone WhatsApp learns is used at once.
 */
export function createIdResolver(win: WaWindow, now: () => number = Date.now): (jid: string) => string {
  const known = new Map<string, { phone: string; until: number }>();
  return (jid) => {
    if (!jid.endsWith('@lid')) return jid;
    const hit = known.get(jid);
    const t = now();
    if (hit && hit.until > t) return hit.phone;
    const widFactory = tryRequire(win, WA.widFactory);
    const apiContact = tryRequire(win, WA.apiContact);
    if (!widFactory?.createWid || !apiContact?.getPhoneNumber) return jid;
    try {
      const phone = apiContact.getPhoneNumber(widFactory.createWid(jid));
      const serialized = phone?._serialized ?? (phone ? String(phone) : '');
      if (!serialized.endsWith('@c.us')) {
        known.delete(jid);
        return jid;
      }
      known.delete(jid); // re-inserted last: the oldest entry is the first to go
      known.set(jid, { phone: serialized, until: t + PHONE_KNOWN_MS });
      if (known.size > MAX_KNOWN) known.delete(known.keys().next().value as string);
      return serialized;
    } catch {
      return jid;
    }
  };
}
