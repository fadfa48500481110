// The relay: WAHA's REST presence endpoints over HTTP, each forwarded to the
// extension connected for that session over the control channel
// (docs/control-channel.md), plus a webhook receiver. A small loopback server
// for teams trying remote control and for tests; a team's real backend
// implements the control channel itself.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { recordWebhook } from '../receiver/receiver.mjs';
import { MAX_FRAME_BYTES, serveControlSocket } from './control-socket.mjs';
import { badRequest, errorBody, routeOf, statusOfKind } from './routes.mjs';

/** @typedef {import('../receiver/receiver.mjs').ReceivedRequest} ReceivedWebhook */
/** @typedef {import('./control-socket.mjs').Answer} Answer */
/** @typedef {import('./control-socket.mjs').ControlConnection} ControlConnection */

/**
 * One /api request and what became of it.
 * @typedef {object} ApiExchange
 * @property {number} at          arrival, Unix ms
 * @property {string} method
 * @property {string} path        as requested, query included
 * @property {{id: string, session: string, op: string, params: Record<string, unknown>} | null} forwarded
 *           the request frame sent to the extension; null when the relay answered by itself
 * @property {Answer | null} answer  the extension's answer, or the relay's own not_connected / timeout;
 *           null when the relay refused the request before that (bad body, unknown route, API key)
 * @property {number} status      the HTTP status answered
 * @property {unknown} body       the JSON body answered; undefined when it was empty
 */

/**
 * What the relay reports as it goes (the CLI prints these).
 * @typedef {{type: 'connected', session: string, version: string}
 *   | {type: 'disconnected', session: string, code: number, reason: string}
 *   | {type: 'refused', code: number, reason: string}
 *   | {type: 'api', exchange: ApiExchange}
 *   | {type: 'webhook', webhook: ReceivedWebhook}} RelayEvent
 */

/**
 * @typedef {object} RelayOptions
 * @property {string} controlKey          the control key the operator pastes in the options page
 * @property {number} [port]              default 3000; 0 picks a free port
 * @property {string} [host]              default 127.0.0.1
 * @property {string} [webhookKey]        checks X-Webhook-Hmac on received webhooks
 * @property {string} [apiKey]            when set, /api requests need X-Api-Key equal to it (as WAHA's)
 * @property {number} [handshakeTimeoutMs]  default 10 s, as the doc says
 * @property {number} [requestTimeoutMs]    default 15 s, as the doc says
 * @property {(event: RelayEvent) => void} [onEvent]
 */

const API_BODY_LIMIT = 64 * 1024; // far above any presence body, far below a 256 KiB frame
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** @param {RelayOptions} options */
export async function startRelay(options) {
  if (!options?.controlKey) throw new Error('startRelay: a controlKey is required (the control key the extension holds)');
  const { controlKey, webhookKey, apiKey, onEvent = () => {} } = options;
  const host = options.host ?? '127.0.0.1';
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;

  /** @type {Map<string, ControlConnection>} */
  const connections = new Map();
  /** @type {ReceivedWebhook[]} */
  const received = [];
  /** @type {ApiExchange[]} */
  const exchanges = [];
  /** Re-checked after every change a waiter may be waiting for. @type {Set<() => void>} */
  const waiters = new Set();
  const changed = () => [...waiters].forEach((check) => check());

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, `The relay failed: ${error.message}`, 'internal'));
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (pathOf(req) !== '/control') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      serveControlSocket(ws, { key: controlKey, handshakeTimeoutMs, onWelcomed: adopt, onClosed: forget }),
    );
  });

  /** A newer connection for a session replaces the older (only once it has proved the key). @param {ControlConnection} connection */
  function adopt(connection) {
    const older = connections.get(connection.session);
    connections.set(connection.session, connection);
    older?.close(4409, 'replaced by a newer connection');
    onEvent({ type: 'connected', session: connection.session, version: connection.version });
    changed();
  }

  /** @param {ControlConnection | null} connection @param {number} code @param {string} reason */
  function forget(connection, code, reason) {
    if (!connection) return onEvent({ type: 'refused', code, reason });
    if (connections.get(connection.session) === connection) connections.delete(connection.session);
    onEvent({ type: 'disconnected', session: connection.session, code, reason });
    changed();
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handleHttp(req, res) {
    const path = pathOf(req);
    if (path === '/api' || path.startsWith('/api/')) return handleApi(req, res, path);
    if (req.method === 'POST') return handleWebhook(req, res);
    sendJson(res, 404, errorBody(404, `Cannot ${req.method} ${path}`));
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} path */
  async function handleApi(req, res, path) {
    const method = req.method ?? 'GET';
    /** @type {ApiExchange} */
    const exchange = { at: Date.now(), method, path: req.url ?? path, forwarded: null, answer: null, status: 0, body: undefined };
    const finish = (/** @type {number} */ status, /** @type {unknown} */ body) => {
      Object.assign(exchange, { status, body });
      exchanges.push(exchange);
      if (body === undefined) res.writeHead(status, { 'Content-Length': 0 }).end();
      else sendJson(res, status, body);
      onEvent({ type: 'api', exchange });
      changed();
    };
    const refuse = (/** @type {{status: number, message: string, kind?: string}} */ refusal) =>
      finish(refusal.status, errorBody(refusal.status, refusal.message, refusal.kind));

    if (apiKey !== undefined && !sameSecret(req.headers['x-api-key'], apiKey)) {
      return refuse({ status: 401, message: 'This relay needs the X-Api-Key header (it was started with --api-key)' });
    }
    const raw = await readBody(req, API_BODY_LIMIT);
    if (raw === null) return refuse({ status: 413, kind: 'bad_request', message: `The body is larger than ${API_BODY_LIMIT} bytes` });
    /** @type {unknown} */
    let body;
    if (method === 'POST' && raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        return refuse(badRequest(`The body is not valid JSON (${/** @type {Error} */ (error).message})`));
      }
    }
    const route = routeOf(method, path, body);
    if (!route) return refuse({ status: 404, message: `Cannot ${method} ${path}` });
    if ('refusal' in route) return refuse(route.refusal);

    const { session, op, params } = route.forward;
    const connection = connections.get(session);
    if (!connection) {
      exchange.answer = {
        ok: false,
        error: {
          kind: 'not_connected',
          message: `No extension is connected for session '${session}': open WhatsApp Web in the operator's browser with remote control set up`,
        },
      };
    } else {
      const { id, answer } = connection.request(op, params, requestTimeoutMs);
      exchange.forwarded = { id, session, op, params };
      exchange.answer = await answer;
    }
    const answer = exchange.answer;
    if (!answer.ok) return refuse({ status: statusOfKind(answer.error.kind), kind: answer.error.kind, message: answer.error.message });
    // WAHA (NestJS) answers a POST with 201, and a void one with no body.
    if (method === 'POST') return finish(201, answer.result === null ? undefined : answer.result);
    finish(200, answer.result);
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handleWebhook(req, res) {
    const raw = await readBody(req, WEBHOOK_BODY_LIMIT);
    if (raw === null) return sendJson(res, 413, { ok: false });
    const webhook = recordWebhook(req, raw, webhookKey);
    // As a backend would: a body it cannot read is a 400, a bad signature a 401.
    webhook.status = webhook.body === null ? 400 : webhook.hmacValid === false ? 401 : 200;
    received.push(webhook);
    sendJson(res, webhook.status, { ok: webhook.status === 200 });
    onEvent({ type: 'webhook', webhook });
    changed();
  }

  /**
   * Resolves with the first value `find` returns (now or after a later
   * change); rejects after `timeoutMs`, saying what it waited for.
   * @template T
   * @param {() => T | undefined} find @param {number} timeoutMs @param {() => string} describeTimeout
   * @returns {Promise<T>}
   */
  function waitUntil(find, timeoutMs, describeTimeout) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    port,
    /** The HTTP base: WAHA's API is under /api. */
    url: origin,
    /** The control URL to set in the extension's options page. */
    wsUrl: `${origin.replace('http:', 'ws:')}/control`,
    /** Where the extension's webhooks may go. */
    webhookUrl: `${origin}/webhook`,
    /** Webhooks received, in arrival order. */
    received,
    /** Every /api request, in the order they were answered. */
    exchanges,
    /** The sessions an extension is connected for, after a good handshake. */
    sessions() {
      return [...connections.values()].map(({ session, version, since }) => ({ session, version, since }));
    },
    /**
     * The first webhook matching `predicate`, already received or still to come.
     * @param {(webhook: ReceivedWebhook) => boolean} predicate
     */
    waitFor(predicate, timeoutMs = 5000) {
      return waitUntil(() => received.find(predicate), timeoutMs, () => `relay: no matching webhook within ${timeoutMs} ms (got ${received.length})`);
    },
    /** Resolves once an extension is connected for `session`. */
    waitForSession(session = 'default', timeoutMs = 5000) {
      return waitUntil(
        () => connections.get(session) && { session },
        timeoutMs,
        () => `relay: no extension connected for session '${session}' within ${timeoutMs} ms (connected: ${[...connections.keys()].join(', ') || 'none'})`,
      );
    },
    /** Stops listening and drops every socket, control channels included. */
    async close() {
      // Waiting for each socket's close means no relay event fires after this resolves.
      const sockets = [...wss.clients].map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.terminate())));
      wss.close();
      await Promise.all([
        ...sockets,
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve(undefined));
        }),
      ]);
    },
  };
}

/** @param {import('node:http').IncomingMessage} req */
function pathOf(req) {
  return new URL(req.url ?? '/', 'http://relay').pathname;
}

/**
 * The body as text, or null past `limit` bytes (the rest is not kept).
 * @param {import('node:http').IncomingMessage} req @param {number} limit
 * @returns {Promise<string | null>}
 */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body */
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

/** Compares digests, so neither the length nor the content leaks through timing. @param {unknown} given @param {string} expected */
function sameSecret(given, expected) {
  if (typeof given !== 'string') return false;
  const digest = (/** @type {string} */ text) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
