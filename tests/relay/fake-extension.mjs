// A minimal client side of the control channel (docs/control-channel.md) for
// the relay's unit tests: hello, welcome check, answers from a handler, pings.
// Written apart from control-socket.mjs on purpose: two readings of the doc
// that must agree, so a mistake in one shows up as a failed handshake.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocket } from 'ws';

const PROTOCOL = 'presence-companion-control.v1';

/** @typedef {{id: string, op: string, params: Record<string, unknown>}} ControlRequest */
/** @typedef {{ok: true, result: unknown} | {ok: false, error: {kind: string, message: string}}} ControlAnswer */

/** The channel closed before a good welcome; `by` says which side closed it. */
export class HandshakeError extends Error {
  /** @param {number} code @param {string} reason @param {'client' | 'server'} by */
  constructor(code, reason, by) {
    super(`control handshake failed: ${by} closed with ${code} ${reason}`);
    this.code = code;
    this.reason = reason;
    this.by = by;
  }
}

/** @param {string} key @param {string} text */
const sign = (key, text) => createHmac('sha512', key).update(text, 'utf8').digest('hex');

/**
 * Connects and resolves once the server's welcome proved it holds the key.
 * @param {{url: string, key: string, session?: string, version?: string,
 *          handler?: (request: ControlRequest) => ControlAnswer | Promise<ControlAnswer>,
 *          pingEveryMs?: number, handshakeTimeoutMs?: number}} options
 */
export function connectFakeExtension(options) {
  const { url, key, session = 'default', version = '0.0.0-fake', pingEveryMs, handshakeTimeoutMs = 10_000 } = options;
  const handler = options.handler ?? (() => ({ ok: true, result: null }));
  const socket = new WebSocket(url);
  const clientNonce = randomBytes(32).toString('base64url');
  /** @type {string | null} */
  let nonce = null;
  let welcomed = false;
  /** @type {ControlRequest[]} */
  const requests = [];
  /** @type {(() => void)[]} */
  const pongWaiters = [];
  /** @type {NodeJS.Timeout | undefined} */
  let pingTimer;

  /** @type {Promise<{code: number, reason: string}>} */
  const closed = new Promise((resolve) =>
    socket.on('close', (code, reason) => {
      clearInterval(pingTimer);
      resolve({ code, reason: reason.toString() });
    }),
  );
  socket.on('error', () => {}); // 'close' follows and says what happened

  const fakeExtension = {
    session,
    socket,
    /** Requests received, in arrival order. */
    requests,
    closed,
    /** Sends a ping and resolves at the next pong. */
    ping(timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake extension: no pong within ${timeoutMs} ms`)), timeoutMs);
        pongWaiters.push(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
        socket.send(JSON.stringify({ type: 'ping' }));
      });
    },
    /** A raw frame, for protocol-error tests. @param {string | Buffer} data */
    send(data) {
      socket.send(data);
    },
    close(code = 1000, reason = '') {
      socket.close(code, reason);
      return closed;
    },
    /** Drops the connection without a closing handshake, as a crashed browser would. */
    terminate() {
      socket.terminate();
      return closed;
    },
  };

  return /** @type {Promise<typeof fakeExtension>} */ (
    new Promise((resolve, reject) => {
      const handshakeTimer = setTimeout(() => closeForProtocol(4408, 'handshake timeout'), handshakeTimeoutMs);
      closed.then(({ code, reason }) => {
        clearTimeout(handshakeTimer);
        if (!welcomed) reject(new HandshakeError(code, reason, 'server'));
      });

      /** @param {number} code @param {string} reason */
      function closeForProtocol(code, reason) {
        if (!welcomed) reject(new HandshakeError(code, reason, 'client'));
        socket.close(code, reason);
      }

      socket.on('message', (data, isBinary) => {
        const frame = isBinary ? null : parseObject(data.toString());
        if (!frame) return closeForProtocol(4400, 'frame is not a JSON object');
        if (!welcomed) return onHandshakeFrame(frame);
        if (frame.type === 'pong') return pongWaiters.splice(0).forEach((wake) => wake());
        if (frame.type === 'request') return answer(frame);
        closeForProtocol(4400, `unexpected ${frame.type} frame`);
      });

      /** @param {Record<string, any>} frame */
      function onHandshakeFrame(frame) {
        if (frame.type === 'challenge' && nonce === null) {
          const nonceBytes = typeof frame.nonce === 'string' && /^[A-Za-z0-9_-]+$/.test(frame.nonce) ? Buffer.from(frame.nonce, 'base64url').length : 0;
          if (frame.protocol !== PROTOCOL || nonceBytes < 16) return closeForProtocol(4400, 'bad challenge');
          nonce = frame.nonce;
          const signature = sign(key, `${PROTOCOL}\nclient\n${nonce}\n${session}`);
          socket.send(JSON.stringify({ type: 'hello', session, clientNonce, signature, version }));
          return;
        }
        if (frame.type === 'welcome' && nonce !== null) {
          const expected = Buffer.from(sign(key, `${PROTOCOL}\nserver\n${nonce}\n${clientNonce}\n${session}`), 'hex');
          const given = Buffer.from(typeof frame.signature === 'string' ? frame.signature : '', 'hex');
          if (given.length !== expected.length || !timingSafeEqual(given, expected)) return closeForProtocol(4401, 'bad server signature');
          welcomed = true;
          clearTimeout(handshakeTimer);
          if (pingEveryMs) pingTimer = setInterval(() => socket.send(JSON.stringify({ type: 'ping' })), pingEveryMs);
          resolve(fakeExtension);
          return;
        }
        closeForProtocol(4400, `unexpected ${frame.type} before welcome`);
      }

      /** @param {Record<string, any>} frame */
      async function answer(frame) {
        const { id, op, params } = frame;
        if (typeof id !== 'string' || id.length < 1 || id.length > 64) return closeForProtocol(4400, 'request without a valid id');
        const request = { id, op, params };
        requests.push(request);
        /** @type {ControlAnswer} */
        let result;
        try {
          result = await handler(request);
        } catch (error) {
          result = { ok: false, error: { kind: 'internal', message: String(error) } };
        }
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'response', id, ...result }));
      }
    })
  );
}

/** @param {string} text @returns {Record<string, any> | null} */
function parseObject(text) {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
