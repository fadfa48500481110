// The server side of one control-channel connection (docs/control-channel.md):
// challenge, hello check, welcome, then requests out and responses matched by
// id. Which connection serves which session is the relay's business.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const PROTOCOL = 'presence-companion-control.v1';
export const MAX_FRAME_BYTES = 256 * 1024;

/**
 * What the relay tells an HTTP client: the extension's answer, or the
 * relay's own `not_connected` / `timeout` in the same shape.
 * @typedef {{ok: true, result: unknown} | {ok: false, error: {kind: string, message: string}}} Answer
 */

/**
 * An authenticated connection, as the relay holds it.
 * @typedef {object} ControlConnection
 * @property {string} session
 * @property {string} version      the extension version its hello gave
 * @property {number} since        when the welcome went out, Unix ms
 * @property {(op: string, params: Record<string, unknown>, timeoutMs: number) => {id: string, answer: Promise<Answer>}} request
 * @property {(code: number, reason: string) => void} close
 */

/** @param {string} key @param {string} text */
const hmacHex = (key, text) => createHmac('sha512', key).update(text, 'utf8').digest('hex');

/** @param {string} key @param {string} nonce @param {string} session */
export const clientSignature = (key, nonce, session) => hmacHex(key, `${PROTOCOL}\nclient\n${nonce}\n${session}`);

/** @param {string} key @param {string} nonce @param {string} clientNonce @param {string} session */
export const serverSignature = (key, nonce, clientNonce, session) =>
  hmacHex(key, `${PROTOCOL}\nserver\n${nonce}\n${clientNonce}\n${session}`);

/** @param {unknown} given @param {string} expectedHex */
function sameSignature(given, expectedHex) {
  if (typeof given !== 'string' || !/^[0-9a-f]{128}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expectedHex, 'hex'));
}

/** base64url without padding, decoding to exactly 32 bytes. @param {unknown} text */
const isClientNonce = (text) =>
  typeof text === 'string' && /^[A-Za-z0-9_-]+$/.test(text) && Buffer.from(text, 'base64url').length === 32;

/**
 * Runs the protocol on a freshly accepted socket.
 * @param {import('ws').WebSocket} socket
 * @param {{key: string, handshakeTimeoutMs: number,
 *          onWelcomed: (connection: ControlConnection) => void,
 *          onClosed: (connection: ControlConnection | null, code: number, reason: string) => void}} options
 */
export function serveControlSocket(socket, { key, handshakeTimeoutMs, onWelcomed, onClosed }) {
  const nonce = randomBytes(32).toString('base64url');
  /** @type {ControlConnection | null} */
  let connection = null;
  /** @type {Map<string, {settle: (answer: Answer) => void}>} */
  const pending = new Map();
  let finished = false;

  const send = (/** @type {object} */ frame) => socket.send(JSON.stringify(frame));

  /**
   * Once per connection, at our close or the peer's, whichever comes first:
   * pending HTTP requests are answered at once rather than at their timeout,
   * and the relay forgets the session without waiting for a closing handshake.
   * @param {number} code @param {string} reason
   */
  const finish = (code, reason) => {
    if (finished) return;
    finished = true;
    clearTimeout(handshakeTimer);
    const why = `${code}${reason ? ` ${reason}` : ''}`;
    for (const { settle } of [...pending.values()]) settle(disconnected(why));
    onClosed(connection, code, reason);
  };
  /** @param {string} why @returns {Answer} */
  const disconnected = (why) => ({
    ok: false,
    error: { kind: 'not_connected', message: `The extension for session '${connection?.session}' disconnected before answering (${why})` },
  });
  const close = (/** @type {number} */ code, /** @type {string} */ reason) => {
    finish(code, reason);
    socket.close(code, fitCloseReason(reason));
  };

  const handshakeTimer = setTimeout(() => close(4408, 'handshake timeout'), handshakeTimeoutMs);

  socket.on('message', (data, isBinary) => {
    if (finished) return;
    const frame = parseFrame(data, isBinary);
    if (typeof frame === 'string') return close(4400, frame);
    if (frame.type === 'ping') return send({ type: 'pong' });
    if (frame.type === 'hello') return connection ? close(4400, 'hello after welcome') : acceptHello(frame);
    if (frame.type === 'response') return connection ? acceptResponse(frame) : close(4400, 'response before welcome');
    close(4400, `unknown frame type ${JSON.stringify(frame.type)}`);
  });
  socket.on('close', (code, reason) => finish(code, reason.toString()));
  // An abrupt disconnect also emits 'close'; without a listener 'error' would throw.
  socket.on('error', () => {});

  send({ type: 'challenge', protocol: PROTOCOL, nonce });

  /** @param {Record<string, unknown>} hello */
  function acceptHello(hello) {
    const { session, clientNonce, signature, version } = hello;
    if (typeof session !== 'string' || session === '') return close(4400, 'hello without a session');
    if (!isClientNonce(clientNonce)) return close(4400, 'hello clientNonce is not 32 bytes of base64url');
    if (typeof version !== 'string') return close(4400, 'hello without a version');
    if (!sameSignature(signature, clientSignature(key, nonce, session))) return close(4401, 'bad signature');
    clearTimeout(handshakeTimer);
    send({ type: 'welcome', signature: serverSignature(key, nonce, /** @type {string} */ (clientNonce), session) });
    connection = { session, version, since: Date.now(), request, close };
    onWelcomed(connection);
  }

  /** @param {Record<string, unknown>} response */
  function acceptResponse(response) {
    const { id, ok, result, error } = response;
    if (typeof id !== 'string' || id.length < 1 || id.length > 64) return close(4400, 'response without a valid id');
    if (typeof ok !== 'boolean') return close(4400, 'response without ok');
    if (!ok && !isError(error)) return close(4400, 'response error needs a kind and a message');
    // No longer pending: answered after its timeout, or twice. Nothing to answer.
    const waiting = pending.get(id);
    if (!waiting) return;
    waiting.settle(ok ? { ok: true, result: result ?? null } : { ok: false, error: /** @type {{kind: string, message: string}} */ (error) });
  }

  /** @type {ControlConnection['request']} */
  function request(op, params, timeoutMs) {
    const id = randomUUID();
    if (finished || socket.readyState !== socket.OPEN) return { id, answer: Promise.resolve(disconnected('closing')) };
    /** @type {Promise<Answer>} */
    const answer = new Promise((resolve) => {
      const settle = (/** @type {Answer} */ value) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(value);
      };
      const seconds = Math.round(timeoutMs / 100) / 10;
      const message = `The extension for session '${connection?.session}' did not answer within ${seconds} s`;
      const timer = setTimeout(() => settle({ ok: false, error: { kind: 'timeout', message } }), timeoutMs);
      pending.set(id, { settle });
    });
    send({ type: 'request', id, op, params });
    return { id, answer };
  }
}

/**
 * A JSON object with a string `type`, or why the frame is a protocol error.
 * @param {import('ws').RawData} data @param {boolean} isBinary
 * @returns {Record<string, unknown> & {type: string} | string}
 */
function parseFrame(data, isBinary) {
  if (isBinary) return 'binary frame';
  let value;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return 'frame is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'frame is not a JSON object';
  if (typeof value.type !== 'string') return 'frame without a type';
  return value;
}

/** A close reason is at most 123 bytes; ws throws rather than cut it. @param {string} reason */
function fitCloseReason(reason) {
  let fitted = reason;
  while (Buffer.byteLength(fitted) > 123) fitted = fitted.slice(0, -1);
  return fitted;
}

/** @param {unknown} error */
function isError(error) {
  return typeof error === 'object' && error !== null && typeof (/** @type {any} */ (error).kind) === 'string' && typeof (/** @type {any} */ (error).message) === 'string';
}
