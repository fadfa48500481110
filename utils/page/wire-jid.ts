/**
 * Turns the ids found in WhatsApp Web's decoded stanzas into JID strings.
 *
 * Decoded stanzas carry wire JIDs: objects with a `$1` field holding
 * `{user, server}` or `{user, device, domainType}` (domainType 0 = phone,
 * 128 = LID), which stringify to a JID. Older builds put plain strings there.
 * WAHA's WEBJS engine reads them the same way (src/core/engines/webjs/ack.webjs.ts).
 */
const DOMAIN_PHONE = 0;
const DOMAIN_LID = 128;

interface WireJidData {
  user?: unknown;
  server?: unknown;
  device?: unknown;
  domainType?: unknown;
}

/** `s.whatsapp.net` is what backends and WhatsApp Web's Wids call `c.us`. */
export function normalizeServer(server: string): string {
  return server === 's.whatsapp.net' ? 'c.us' : server;
}

/** Strips the device suffix (`123:4@lid` → `123@lid`) and maps the phone server to `c.us`. */
export function normalizeJid(jid: string): string | null {
  const at = jid.lastIndexOf('@');
  if (at <= 0 || at === jid.length - 1) return null;
  const user = jid.slice(0, at).split(':')[0]!;
  if (!user) return null;
  return `${user}@${normalizeServer(jid.slice(at + 1))}`;
}

/** Returns the normalized JID string, or null when the value is not a JID. */
export function wireJidToString(value: unknown): string | null {
  if (typeof value === 'string') return normalizeJid(value);
  if (!value || typeof value !== 'object') return null;
  const data = (value as { $1?: WireJidData }).$1;
  if (data && typeof data === 'object' && typeof data.user === 'string') {
    let server = typeof data.server === 'string' && data.server ? data.server : '';
    if (!server) {
      if (data.domainType === DOMAIN_PHONE) server = 's.whatsapp.net';
      else if (data.domainType === DOMAIN_LID) server = 'lid';
      else return null;
    }
    return normalizeJid(`${data.user}@${server}`);
  }
  // Some builds hand over Wid-like objects or other stringifiable JIDs.
  const text = String(value);
  return text.includes('@') ? normalizeJid(text) : null;
}
