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
const DOMAIN_SERVER: Readonly<Record<number, string>> = Object.assign(Object.create(null), { 0: 's.whatsapp.net', 1: 'lid', 128: 'hosted', 129: 'hosted.lid' });

interface WireJidData {
  user?: unknown;
  server?: unknown;
  device?: unknown;
  domainType?: unknown;
}

/**
 * Wire servers as backends and WhatsApp Web's Wids name them: the phone server
 * is `c.us`; a hosted id (a business number hosted by Meta) is a phone id, and
 * its LID form is a LID.
 */
export function normalizeServer(server: string): string {
  // Compared, not looked up: a server decoded from a frame is a new string each time (no cached hash).
  if (server === 's.whatsapp.net' || server === 'hosted') return 'c.us';
  return server === 'hosted.lid' ? 'lid' : server;
}

/** `user@server` without the user's device suffix (`123:4` → `123`), the server as the Wid's; null when either is empty. */
function joinJid(user: string, server: string): string | null {
  const colon = user.indexOf(':');
  const bare = colon < 0 ? user : user.slice(0, colon);
  return bare && server ? `${bare}@${normalizeServer(server)}` : null;
}

/** Strips the device suffix (`123:4@lid` → `123@lid`) and maps the server to the Wid's. */
export function normalizeJid(jid: string): string | null {
  const at = jid.lastIndexOf('@');
  return at <= 0 ? null : joinJid(jid.slice(0, at), jid.slice(at + 1));
}

/** Returns the normalized JID string, or null when the value is not a JID. */
export function wireJidToString(value: unknown): string | null {
  if (typeof value === 'string') return normalizeJid(value);
  if (!value || typeof value !== 'object') return null;
  const data = (value as { $1?: WireJidData }).$1;
  if (data && typeof data === 'object' && typeof data.user === 'string') {
    const server = typeof data.server === 'string' && data.server ? data.server : DOMAIN_SERVER[data.domainType as number];
    if (typeof server !== 'string' || !server) return null;
    // Without an '@' in either part, the joined string would split back into the same two.
    return data.user.includes('@') || server.includes('@') ? normalizeJid(`${data.user}@${server}`) : joinJid(data.user, server);
  }
  const text = String(value);
  return text.includes('@') ? normalizeJid(text) : null;
}
