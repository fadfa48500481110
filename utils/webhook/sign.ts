/**
 * HMAC-SHA512 of the exact body bytes, lowercase hex, as WAHA's
 * `X-Webhook-Hmac` header. Serialize the body once, sign it, send that string.
 */
export async function hmacSha512Hex(key: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-512' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(body)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
