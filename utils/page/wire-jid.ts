/**
 * Turns the ids found in WhatsApp Web's decoded stanzas into JID strings.
 *
 * Decoded stanzas carry wire JIDs, objects whose data sits in a minified
 * private field (`$1` in the builds read): a JID pair `{user, server}` for
 * device-less ids (a device-less LID is a pair with server `lid`), or an
 * ad-JID `{user, device, domainType}` for device ids, with WhatsApp's domain
 * types 0 = `s.whatsapp.net`, 1 = `lid`, 128 = `hosted`, 129 = `hosted.lid`
 * (Baileys' src/WABinary/jid-utils.ts has the same table). `String(jid)`
 * gives `user[:device]@server`, which WhatsApp's own code uses, so that is the
 * fallback when the private field is renamed. Older builds put plain strings.
 */
const DOMAIN_SERVER: Readonly<Record<number, string>> = { 0: 's.whatsapp.net', 1: 'lid', 128: 'hosted', 129: 'hosted.lid' };

/**
 * Wire servers as backends and WhatsApp Web's Wids name them: the phone server
 * is `c.us`; a hosted id (a business number hosted by Meta) is a phone id, and
 * its LID form is a LID.
 */
const WID_SERVER: Readonly<Record<string, string>> = { 's.whatsapp.net': 'c.us', hosted: 'c.us', 'hosted.lid': 'lid' };

interface WireJidData {
  user?: unknown;
  server?: unknown;
  device?: unknown;
  domainType?: unknown;
}

export function normalizeServer(server: string): string {
  return WID_SERVER[server] ?? server;
}

/** Strips the device suffix (`123:4@lid` → `123@lid`) and maps the server to the Wid's. */
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
    const server = typeof data.server === 'string' && data.server ? data.server : DOMAIN_SERVER[data.domainType as number];
    return server ? normalizeJid(`${data.user}@${server}`) : null;
  }
  const text = String(value);
  return text.includes('@') ? normalizeJid(text) : null;
}
