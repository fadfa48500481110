// Simulated https://web.whatsapp.com on loopback: static page scripts that
// rebuild WhatsApp Web's module API, plus a WebSocket the page uses as its
// "socket" to the WhatsApp server. Tests drive presence through this object.
import { createServer } from 'node:https';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { makeCertificate } from './cert.mjs';
import { fixtures } from './fixtures.mjs';
import * as st from './stanzas.mjs';

export { fixtures };
export { wireString } from './stanzas.mjs';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
const HOST = 'web.whatsapp.com';
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  `connect-src 'self' wss://${HOST}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
].join('; ');

/**
 * @typedef {object} SimConfig
 * @property {string[]} omit  module names never registered in this build
 * @property {string} version  window.Debug.VERSION
 * @property {boolean} loggedIn  false: the page stops at the QR screen (Socket.state UNPAIRED)
 * @property {number} bootDelayMs  time over which the module chunks are loaded
 * @property {number} syncDelayMs  CONNECTED → hasSynced delay
 * @property {number} idleFlipMs  Stream.available falls back to false this long after markAvailable
 * @property {boolean} legacySubscribe  only subscribePresence(wid, tcToken) in WAWebContactPresenceBridge
 * @property {number} extraChats  this many more saved contacts with a 1:1 chat each (`1555200NNNN@c.us`, "Contact N"), for load tests
 * @property {'main' | 'worker' | 'worker-handlers'} comms  where the socket and the presence handlers run (public/socket.js)
 * @property {boolean} lidMigrated  a LID-migrated account: 1:1 presence by LID, chats addressed by accountLid
 * @property {boolean} uiActive  the WhatsApp tab is in the foreground (Stream.uiActive)
 * @property {number} reconnectDelayMs  how soon the page's socket reconnects after a drop
 */

/**
 * Builds a page can ask for with `?variant=a,b` (each sets part of the config).
 * @type {Record<string, Partial<SimConfig>>}
 */
export const VARIANTS = {
  worker: { comms: 'worker' },
  'worker-handlers': { comms: 'worker-handlers' },
  legacy: { legacySubscribe: true },
  'no-wap': { omit: ['WAWap'] },
};

/** @typedef {{ module: string, fn: string, args: any[], at: number }} SimCall */
/** @typedef {{ node: st.StanzaNode, at: number }} SimSent */
/** @typedef {{ ws: import('ws').WebSocket, frames: number, acked: number, state: string, hasSynced: boolean }} PageConn */
/** @typedef {{ participant?: string } & st.WireOpts} ChatOpts */

/** @type {SimConfig} */
export const DEFAULT_CONFIG = Object.freeze({
  omit: [],
  version: '2.3000.1017054665',
  loggedIn: true,
  bootDelayMs: 800,
  syncDelayMs: 400,
  idleFlipMs: 10_000,
  legacySubscribe: false,
  extraChats: 0,
  comms: 'main',
  lidMigrated: true,
  uiActive: true,
  reconnectDelayMs: 300,
});

/**
 * Start the simulated WhatsApp Web.
 * @param {Partial<SimConfig>} [options] initial build configuration
 */
export async function startWhatsAppSim(options = {}) {
  const { key, cert, cleanup } = await makeCertificate(HOST);
  const sim = new WhatsAppSim(options);
  const server = createServer({ key, cert }, (req, res) => void sim._serve(req, res));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'https://x').pathname !== '/ws') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => sim._attach(ws));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  sim.port = typeof address === 'object' && address ? address.port : 0;
  sim.chromiumArgs = [`--host-resolver-rules=MAP ${HOST} 127.0.0.1:${sim.port}`, '--ignore-certificate-errors'];
  sim._shutdown = async () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve(undefined)));
    await cleanup();
  };
  return sim;
}

export class WhatsAppSim {
  /** @param {Partial<SimConfig>} startOptions */
  constructor(startOptions) {
    this.origin = `https://${HOST}`;
    this.port = 0;
    /** @type {string[]} */
    this.chromiumArgs = [];
    /** Every recorded call into WhatsApp's presence-related functions. @type {SimCall[]} */
    this.calls = [];
    /** Every stanza the page sent to the "server". @type {SimSent[]} */
    this.sent = [];
    this._start = { ...DEFAULT_CONFIG, ...startOptions };
    /** Configuration served to the next page load. @type {SimConfig} */
    this.config = { ...this._start };
    /** @type {Set<PageConn>} */
    this._pages = new Set();
    /** @type {Set<() => void>} re-checked whenever something arrives */
    this._waiters = new Set();
    this._shutdown = async () => {};
  }

  /**
   * Configure the build for the NEXT page load. Starts from the options given
   * to startWhatsAppSim, so earlier configure() calls do not leak.
   * @param {Partial<SimConfig>} [options]
   */
  configure(options = {}) {
    this.config = { ...this._start, ...options };
  }

  /**
   * Send a stanza to every connected page. Resolves once each page has decoded
   * and handled it (or after timeoutMs), with the counts.
   * @param {st.StanzaNode} node ids as JID strings (or {$1:…} objects)
   * @param {{ compress?: boolean, timeoutMs?: number }} [opts]
   * @returns {Promise<{ pages: number, handled: number }>}
   */
  async deliver(node, opts = {}) {
    const frame = st.encodeFrame(node, opts);
    const targets = [...this._pages].filter((p) => p.ws.readyState === 1);
    const done = targets.map((p) => {
      const n = ++p.frames;
      p.ws.send(frame);
      return this._until(() => p.acked >= n || p.ws.readyState !== 1, opts.timeoutMs ?? 3000)
        .then(() => p.acked >= n)
        .catch(() => false);
    });
    const results = await Promise.all(done);
    return { pages: targets.length, handled: results.filter(Boolean).length };
  }

  /**
   * Send many stanzas back to back, as a reconnect or a busy group does, and
   * resolve once every page has handled the last one.
   * @param {st.StanzaNode[]} nodes
   * @param {{ timeoutMs?: number }} [opts]
   */
  async deliverBurst(nodes, opts = {}) {
    const targets = [...this._pages].filter((p) => p.ws.readyState === 1);
    const last = targets.map((p) => {
      for (const node of nodes) p.ws.send(st.encodeFrame(node, {}));
      p.frames += nodes.length;
      return p.frames;
    });
    await this._until(() => targets.every((p, i) => p.acked >= last[i] || p.ws.readyState !== 1), opts.timeoutMs ?? 30_000, 'burst');
    return { pages: targets.length, stanzas: nodes.length };
  }

  /** @param {string} contact fixture key or JID @param {st.WireOpts} [opts] */
  online(contact, opts) { return this.deliver(st.presenceAvailable(contact, opts)); }
  /** @param {string} contact @param {{ last?: number | 'deny' | 'none' | 'error' } & st.WireOpts} [opts] */
  offline(contact, opts) { return this.deliver(st.presenceUnavailable(contact, opts)); }
  /** @param {string} chat @param {ChatOpts} [opts] */
  typing(chat, opts) { return this.deliver(st.chatstate(chat, 'composing', opts)); }
  /** @param {string} chat @param {ChatOpts} [opts] */
  recording(chat, opts) { return this.deliver(st.chatstate(chat, 'recording', opts)); }
  /** @param {string} chat @param {ChatOpts} [opts] */
  paused(chat, opts) { return this.deliver(st.chatstate(chat, 'paused', opts)); }
  /** A group's count of members online (no member named). @param {string} group @param {number} count */
  groupCount(group, count) { return this.deliver(st.groupPresence(group, count)); }

  /**
   * Drops every page's socket, as a network blip does; the pages reconnect
   * by themselves and resume (wait with waitForPage).
   */
  async disconnect() {
    const pages = [...this._pages].filter((p) => p.ws.readyState === 1);
    for (const p of pages) p.ws.terminate();
    await this._until(() => pages.every((p) => !this._pages.has(p)), 3000, 'sockets closed');
  }

  /**
   * Puts every page's Socket model (or only the first / last page to have
   * connected) in a state, as WhatsApp's server or phone would (CONFLICT,
   * TIMEOUT, TOS_BLOCK, DEPRECATED_VERSION, PAIRING…).
   * @param {string} state @param {{ hasSynced?: boolean, info?: string, mode?: string, page?: 'first' | 'last' }} [opts]
   */
  async setSocketState(state, { page, ...opts } = {}) {
    const open = [...this._pages].filter((p) => p.ws.readyState === 1);
    const pages = page === 'first' ? open.slice(0, 1) : page === 'last' ? open.slice(-1) : open;
    for (const p of pages) p.ws.send(JSON.stringify({ type: 'state', state, ...opts }));
    await this._until(() => pages.every((p) => p.state === state), 3000, `socket state ${state}`);
  }

  /**
   * The operator leaves a group (or a chat is deleted) on the phone: every
   * page's Chat collection loses it. @param {string} chatId
   */
  removeChat(chatId) {
    for (const p of this._pages) if (p.ws.readyState === 1) p.ws.send(JSON.stringify({ type: 'removeChat', chatId }));
  }

  /** The WhatsApp tab gains or loses the foreground (Stream.uiActive). @param {boolean} active */
  setUiActive(active) {
    for (const p of this._pages) if (p.ws.readyState === 1) p.ws.send(JSON.stringify({ type: 'ui', active }));
  }
  /** @param {string} chat @param {ChatOpts & { body?: string }} [opts] */
  message(chat, opts) { return this.deliver(st.message(chat, opts)); }

  /**
   * Log the account out in every open page; later loads show the QR screen.
   * Resolves when the pages report UNPAIRED (or after timeoutMs).
   */
  async logout(timeoutMs = 3000) {
    this.config = { ...this.config, loggedIn: false };
    const pages = [...this._pages].filter((p) => p.ws.readyState === 1);
    for (const p of pages) p.ws.send(JSON.stringify({ type: 'logout' }));
    await this._until(() => pages.every((p) => p.state === 'UNPAIRED'), timeoutMs).catch(() => {});
  }

  /**
   * @param {((call: SimCall) => boolean) | Partial<Pick<SimCall, 'module' | 'fn'>>} match
   * @param {number} [timeoutMs]
   * @returns {Promise<SimCall>}
   */
  waitForCall(match, timeoutMs = 5000) {
    const pred = typeof match === 'function' ? match : (/** @type {SimCall} */ c) =>
      (!match.module || c.module === match.module) && (!match.fn || c.fn === match.fn);
    return this._until(() => this.calls.find(pred), timeoutMs, 'call');
  }

  /**
   * @param {(sent: SimSent) => boolean} pred
   * @param {number} [timeoutMs]
   * @returns {Promise<SimSent>}
   */
  waitForSent(pred, timeoutMs = 5000) {
    return this._until(() => this.sent.find(pred), timeoutMs, 'sent stanza');
  }

  clearCalls() { this.calls.length = 0; this.sent.length = 0; }

  /**
   * Resolves when a page socket is connected (and, by default, synced and CONNECTED: a resume passes through PAIRING).
   * @param {number} [timeoutMs]
   * @param {{ synced?: boolean }} [opts]
   */
  async waitForPage(timeoutMs = 10_000, opts = {}) {
    const synced = opts.synced ?? true;
    await this._until(
      () => [...this._pages].some((p) => p.ws.readyState === 1 && p.state !== '' && (!synced || (p.hasSynced && p.state === 'CONNECTED'))),
      timeoutMs, 'page',
    );
  }

  /** Number of page sockets currently open. */
  get pageCount() { return [...this._pages].filter((p) => p.ws.readyState === 1).length; }

  async close() {
    for (const w of this._waiters) w();
    await this._shutdown();
  }

  /**
   * @template T
   * @param {() => T} check
   * @param {number} timeoutMs
   * @param {string} [what]
   * @returns {Promise<NonNullable<T>>}
   */
  _until(check, timeoutMs, what = 'condition') {
    return new Promise((resolve, reject) => {
      const first = check();
      if (first) return resolve(first);
      const waiter = () => {
        const v = check();
        if (!v) return;
        this._waiters.delete(waiter);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this._waiters.delete(waiter);
        reject(new Error(`sim: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this._waiters.add(waiter);
    });
  }

  _notify() { for (const w of [...this._waiters]) w(); }

  /** @param {import('ws').WebSocket} ws */
  _attach(ws) {
    /** @type {PageConn} */
    const page = { ws, frames: 0, acked: 0, state: '', hasSynced: false };
    this._pages.add(page);
    ws.on('message', (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(/** @type {ArrayBuffer} */ (data));
      if (isBinary) this.sent.push({ node: st.decodeFrame(buf), at: Date.now() });
      else this._control(page, JSON.parse(buf.toString('utf8')));
      this._notify();
    });
    ws.on('close', () => { this._pages.delete(page); this._notify(); });
    ws.on('error', () => {});
  }

  /** @param {PageConn} page @param {any} msg */
  _control(page, msg) {
    if (msg.type === 'state') Object.assign(page, { state: msg.state, hasSynced: msg.hasSynced });
    else if (msg.type === 'ack') page.acked = Math.max(page.acked, msg.n);
    else if (msg.type === 'call') this.calls.push({ module: msg.module, fn: msg.fn, args: msg.args, at: msg.at });
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async _serve(req, res) {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const send = (/** @type {number} */ code, /** @type {string} */ type, /** @type {string | Buffer} */ body) => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': CSP });
      res.end(body);
    };
    try {
      if (path === '/' || path === '/index.html') {
        const html = await readFile(join(PUBLIC_DIR, 'index.html'), 'utf8');
        // ?observe=1: the footprint test's observer runs as the page's first script (public/page-observer.js).
        const observe = new URL(req.url ?? '/', this.origin).searchParams.get('observe') === '1';
        return send(200, 'text/html; charset=utf-8', observe ? html.replace('<head>', '<head>\n  <script src="/static/page-observer.js"></script>') : html);
      }
      if (path === '/sim/config.json') {
        const names = (new URL(req.url ?? '/', this.origin).searchParams.get('variant') ?? '').split(',').filter(Boolean);
        const unknown = names.filter((name) => !VARIANTS[name]);
        if (unknown.length) return send(400, 'text/plain', `unknown variant ${unknown.join(', ')}`);
        const config = Object.assign({}, this.config, ...names.map((name) => VARIANTS[name]));
        return send(200, 'application/json', JSON.stringify({ ...config, fixtures }));
      }
      const m = /^\/static\/([a-z0-9-]+\.(js|css))$/.exec(path);
      if (m?.[1]) {
        const type = m[2] === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
        return send(200, type, await readFile(join(PUBLIC_DIR, m[1])));
      }
      send(404, 'text/plain', 'not found');
    } catch {
      send(404, 'text/plain', 'not found');
    }
  }
}
export * as stanzas from './stanzas.mjs';
