/**
 * Chat ids as the operator types them and as WhatsApp knows them. A phone
 * number in any common notation ("+1 (555) 111-0001", "00 1555…") becomes
 * `<digits>@c.us`; a full id (`…@c.us`, `…@g.us`, `…@lid`) is kept as is.
 */

const JID = /^[0-9A-Za-z._:-]{1,100}@(c\.us|g\.us|lid)$/;
/** E.164 allows up to 15 digits; the shortest real numbers have 7 or more with the country code. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export type ParsedChatId = { ok: true; id: string } | { ok: false; error: string };

export function isChatId(text: string): boolean {
  return JID.test(text);
}

export const isGroupId = (id: string) => id.endsWith('@g.us');

/** How an id without a name is shown: "+15551110001" for `15551110001@c.us`; other ids (`@lid`, `@g.us`) as they are. */
export function displayNumber(id: string): string {
  const phone = /^(\d+)@c\.us$/.exec(id);
  return phone ? `+${phone[1]}` : id;
}

/** Parses what the operator typed as a phone number or a WhatsApp id. */
export function parseChatId(input: string): ParsedChatId {
  const text = input.trim();
  if (!text) return { ok: false, error: 'Enter a phone number with its country code, or a WhatsApp id.' };
  if (text.includes('@')) {
    if (text.endsWith('@s.whatsapp.net')) return parseChatId(text.replace(/@s\.whatsapp\.net$/, ''));
    return isChatId(text)
      ? { ok: true, id: text }
      : { ok: false, error: `"${text}" is not a WhatsApp id (expected …@c.us, …@g.us or …@lid).` };
  }
  if (!/^[+\d\s().-]+$/.test(text)) return { ok: false, error: `"${text}" is not a phone number.` };
  const digits = text.replace(/^\s*(\+|00)/, '').replace(/\D/g, '');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) {
    return { ok: false, error: `A phone number has ${MIN_DIGITS} to ${MAX_DIGITS} digits with its country code (got ${digits.length}).` };
  }
  if (digits.startsWith('0')) return { ok: false, error: 'Start the number with its country code, not a 0 (e.g. +44 20…).' };
  return { ok: true, id: `${digits}@c.us` };
}
