/**
 * HMAC-SHA512 of the exact body bytes, lowercase hex, as WAHA's
 * `X-Webhook-Hmac` header. Serialize the body once, sign it, send that string.
 */
const encoder = new TextEncoder();
/** Imported keys by secret: one import per webhook key, not one per POST (a burst signs thousands). */
const imported = new Map<string, Promise<CryptoKey>>();
const KEYS_KEPT = 16;

function importedKey(key: string): Promise<CryptoKey> {
  let cryptoKey = imported.get(key);
  if (!cryptoKey) {
    if (imported.size >= KEYS_KEPT) imported.clear(); // keys edited many times: start over
    cryptoKey = crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
    imported.set(key, cryptoKey);
    cryptoKey.catch(() => imported.delete(key));
  }
  return cryptoKey;
}

export async function hmacSha512Hex(key: string, body: string): Promise<string> {
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await importedKey(key), encoder.encode(body)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
