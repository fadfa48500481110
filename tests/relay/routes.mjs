// WAHA's REST presence endpoints as control-channel operations
// (docs/control-channel.md, "Operations"), and the HTTP status of each kind
// of refusal. Pure: no sockets here, so the mapping is tested on its own.
import { STATUS_CODES } from 'node:http';

/**
 * What the relay sends to the extension for one HTTP request.
 * @typedef {{session: string, op: string, params: Record<string, unknown>}} Forward
 */

/**
 * A request the relay refuses before forwarding it.
 * @typedef {{status: number, kind: string, message: string}} Refusal
 */

/** The doc's table, plus the relay's own not_connected and timeout. */
const STATUS_OF_KIND = {
  bad_request: 400,
  unknown_op: 400,
  bad_id: 400,
  remote_off: 403,
  unknown_chat: 404,
  not_on_whatsapp: 404,
  no_lid: 404,
  refused_by_cap: 429,
  no_tab: 503,
  not_logged_in: 503,
  capability_missing: 502,
  whatsapp_failed: 502,
  internal: 500,
  not_connected: 503,
  timeout: 504,
};

/**
 * A kind this relay does not know (a newer extension's) is the extension's
 * failure as far as an HTTP client can tell: 500, with the kind passed on.
 * @param {string} kind
 */
export function statusOfKind(kind) {
  return Object.hasOwn(STATUS_OF_KIND, kind) ? STATUS_OF_KIND[/** @type {keyof STATUS_OF_KIND} */ (kind)] : 500;
}

/**
 * NestJS's error body (what WAHA answers), with the control kind beside it
 * when there is one.
 * @param {number} status @param {string} message @param {string} [kind]
 */
export function errorBody(status, message, kind) {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(kind ? { kind } : {}) };
}

/**
 * Matches an /api request. `body` is the parsed JSON body (undefined when
 * there was none; GET bodies are ignored). Returns null when no route matches.
 * @param {string} method @param {string} pathname @param {unknown} body
 * @returns {{forward: Forward} | {refusal: Refusal} | null}
 */
export function routeOf(method, pathname, body) {
  // Split before decoding, so an encoded '/' in a chat id stays in its segment.
  const raw = pathname.replace(/\/+$/, '').split('/').slice(1);
  if (raw[0] !== 'api') return null;
  /** @type {string[]} */
  let parts;
  try {
    parts = raw.slice(1).map((segment) => decodeURIComponent(segment));
  } catch {
    return { refusal: badRequest(`The path ${pathname} is not correctly URL-encoded`) };
  }
  const [first, second, chatId, fourth] = parts;

  if (method === 'POST' && parts.length === 1 && (first === 'startTyping' || first === 'stopTyping')) {
    return typingRoute(first === 'startTyping' ? 'typing.start' : 'typing.stop', body);
  }
  if (!first || second !== 'presence') return null;
  const session = first;
  if (parts.length === 2 && method === 'POST') {
    if (!isObject(body)) return { refusal: badRequest('The body must be a JSON object: {"presence": …, "chatId"?: …}') };
    return { forward: { session, op: 'presence.set', params: pick(body, ['presence', 'chatId']) } };
  }
  if (parts.length === 2 && method === 'GET') return { forward: { session, op: 'presence.list', params: {} } };
  if (parts.length === 3 && method === 'GET' && chatId) {
    return { forward: { session, op: 'presence.get', params: { chatId } } };
  }
  if (parts.length === 4 && method === 'POST' && chatId && fourth === 'subscribe') {
    return { forward: { session, op: 'presence.subscribe', params: { chatId } } };
  }
  return null;
}

/** @param {string} op @param {unknown} body @returns {{forward: Forward} | {refusal: Refusal}} */
function typingRoute(op, body) {
  if (!isObject(body)) return { refusal: badRequest('The body must be a JSON object: {"session"?: …, "chatId": …}') };
  // WAHA's default session when the body names none.
  const session = body.session ?? 'default';
  if (typeof session !== 'string' || session === '') {
    return { refusal: badRequest('"session" must be a non-empty string (or left out for "default")') };
  }
  return { forward: { session, op, params: pick(body, ['chatId']) } };
}

/** @param {string} message @returns {Refusal} */
export function badRequest(message) {
  return { status: 400, kind: 'bad_request', message };
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Only the keys the operation takes, each as received when present: the
 * extension validates the values, so the relay stays thin.
 * @param {Record<string, unknown>} body @param {string[]} keys
 */
function pick(body, keys) {
  /** @type {Record<string, unknown>} */
  const params = {};
  for (const key of keys) if (Object.hasOwn(body, key)) params[key] = body[key];
  return params;
}
