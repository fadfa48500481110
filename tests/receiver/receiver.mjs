// A webhook receiver for tests, benchmarks and teams trying the extension:
// accepts WAHA-style webhook POSTs, verifies X-Webhook-Hmac when given the key,
// and keeps every request for inspection. Loopback only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * @typedef {object} ReceivedRequest
 * @property {number} at          arrival time, Unix ms
 * @property {number} atHr        arrival time, performance.timeOrigin-based ms (for latency)
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} raw         the exact body bytes as text
 * @property {any} body           parsed JSON, or null when it did not parse
 * @property {boolean | null} hmacValid  null when no key was configured
 * @property {number} status      what we answered
 */

/** @param {string} key @param {string} raw @param {unknown} header */
export function verifyHmac(key, raw, header) {
  if (typeof header !== 'string') return false;
  const expected = createHmac('sha512', key).update(raw, 'utf8').digest();
  const given = Buffer.from(header, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * One webhook POST as received, its signature checked when a key is given;
 * `status` is 200 until the caller decides its answer.
 * @param {import('node:http').IncomingMessage} req @param {string} raw @param {string} [hmacKey]
 * @returns {ReceivedRequest}
 */
export function recordWebhook(req, raw, hmacKey) {
  let body = null;
  try {
    body = JSON.parse(raw);
  } catch {}
  return {
    at: Date.now(),
    atHr: performance.timeOrigin + performance.now(),
    path: req.url ?? '/',
    headers: req.headers,
    raw,
    body,
    hmacValid: hmacKey ? verifyHmac(hmacKey, raw, req.headers['x-webhook-hmac']) : null,
    status: 200,
  };
}

/**
 * @param {{port?: number, host?: string, hmacKey?: string,
 *          respond?: (req: ReceivedRequest) => {status: number, headers?: Record<string,string>} | number}} [options]
 */
export async function startReceiver(options = {}) {
  /** @type {ReceivedRequest[]} */
  const requests = [];
  /** @type {Set<() => void>} */
  const waiters = new Set();
  let respond = options.respond ?? (() => 200);

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const request = recordWebhook(req, Buffer.concat(chunks).toString('utf8'), options.hmacKey);
      const answer = respond(request);
      const { status, headers = {} } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      request.status = status;
      requests.push(request);
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(status < 300 ? '{"ok":true}' : '{"ok":false}');
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `http://127.0.0.1:${address.port}/webhook`,
    port: address.port,
    requests,
    /** Requests answered 2xx, i.e. the events the backend accepted. */
    get events() {
      return requests.filter((r) => r.status < 300).map((r) => r.body);
    },
    /** @param {(req: ReceivedRequest) => {status: number, headers?: Record<string,string>} | number} fn */
    setResponder(fn) {
      respond = fn;
    },
    /**
     * Resolves with the first request matching `predicate` (already received or future).
     * @param {(req: ReceivedRequest) => boolean} predicate
     */
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: no matching webhook within ${timeoutMs} ms (got ${requests.length})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    clear() {
      requests.length = 0;
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve(undefined));
      });
    },
  };
}
