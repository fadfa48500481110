// Node side of the simulated wire: frame encoding and builders for the
// stanzas WhatsApp's server sends about presence (the page side is
// public/codec.js, which documents the wire-JID shapes).
//
// Frame format (the sim's stand-in for WhatsApp's noise-encrypted binary XMPP):
//   byte 0      flags; bit value 2 = body is deflate-compressed (like the real
//               frame header, which is why decodeStanza takes an inflate fn)
//   bytes 1..n  UTF-8 JSON of the node. JIDs are plain strings here; the
//               page's decoder turns them into wire-JID objects ({$1: …}).
//               Binary content is written as {"$bytes": "<base64>"}.
import { deflateSync, inflateSync } from 'node:zlib';
import { fixtures } from './fixtures.mjs';

/**
 * @typedef {object} StanzaNode
 * @property {string} tag
 * @property {Record<string, any>} attrs  JID-valued attrs may be strings or `{$1: …}` objects
 * @property {StanzaNode[] | Uint8Array | string | null} [content]
 */

const CONTACT_KEYS = Object.keys(fixtures.contacts);
/** Ad-JID domain types as WhatsApp's decoder has them (public/codec.js). */
const DOMAIN_SERVER = { 0: 's.whatsapp.net', 1: 'lid', 128: 'hosted', 129: 'hosted.lid' };

/**
 * @typedef {object} WireOpts
 * @property {string[]} [adForm]  attributes to send as device ("ad") JIDs, e.g. ['from'] or ['participant']
 */

/** @param {Record<string, any>} attrs @param {WireOpts} opts */
function withAdForm(attrs, opts) {
  if (opts.adForm?.length) attrs.$ad = opts.adForm;
  return attrs;
}

/**
 * @param {unknown} v
 * @returns {v is { $1: any }}
 */
function isWireObject(v) {
  return typeof v === 'object' && v !== null && '$1' in v;
}

/**
 * A wire-JID object (`{$1:{user, server}}` or `{$1:{user, device, domainType}}`)
 * or any JID string → the JID string as it travels on the wire.
 * @param {any} v
 * @returns {string}
 */
export function wireString(v) {
  if (isWireObject(v)) {
    const j = v.$1;
    if (j.server) return `${j.user}@${j.server}`;
    return `${j.user}${j.device ? `:${j.device}` : ''}@${DOMAIN_SERVER[j.domainType]}`;
  }
  // Backends say c.us; the wire says s.whatsapp.net.
  return String(v).replace(/@c\.us$/, '@s.whatsapp.net');
}

/**
 * Who a 1:1 stanza comes from. A fixture contact key means "as real 2026
 * WhatsApp sends it": under the contact's LID. A JID is used as given.
 * @param {string} keyOrJid
 */
export function userJid(keyOrJid) {
  if (keyOrJid === 'me') return fixtures.me.lid;
  if (CONTACT_KEYS.includes(keyOrJid)) {
    return fixtures.contacts[/** @type {'alice'} */ (keyOrJid)].lid;
  }
  if (!keyOrJid.includes('@')) throw new Error(`sim: unknown contact "${keyOrJid}"`);
  return keyOrJid;
}

/** @param {string} keyOrJid a chat: fixture key ('alice', 'group', …) or JID */
export function chatJid(keyOrJid) {
  const group = fixtures.groups[/** @type {'group'} */ (keyOrJid)];
  return group ? group.id : userJid(keyOrJid);
}

/** @param {string} jid */
const isGroupJid = (jid) => jid.endsWith('@g.us');

/**
 * @param {string} contact
 * @param {WireOpts} [opts]
 * @returns {StanzaNode}
 */
export function presenceAvailable(contact, opts = {}) {
  return { tag: 'presence', attrs: withAdForm({ from: userJid(contact) }, opts), content: null };
}

/**
 * A group presence update: the number of members online, no contact
 * (WASmaxPresenceServerUpdateRPC's GroupAvailable / GroupUnavailable).
 * @param {string} group fixture key or JID
 * @param {number} count
 * @returns {StanzaNode}
 */
export function groupPresence(group, count) {
  const from = chatJid(group);
  /** @type {Record<string, string>} */
  const attrs = { from, count: String(count) };
  if (count === 0) attrs.type = 'unavailable';
  return { tag: 'presence', attrs, content: null };
}

/**
 * @param {string} contact
 * @param {{ last?: number | 'deny' | 'none' | 'error' } & WireOpts} [opts]  no `last`: "just now"
 * @returns {StanzaNode}
 */
export function presenceUnavailable(contact, opts = {}) {
  /** @type {Record<string, any>} */
  const attrs = { from: userJid(contact), type: 'unavailable' };
  if (opts.last !== undefined) attrs.last = String(opts.last);
  return { tag: 'presence', attrs: withAdForm(attrs, opts), content: null };
}

/**
 * @param {string} chat
 * @param {'composing' | 'recording' | 'paused'} state
 * @param {{ participant?: string } & WireOpts} [opts]
 * @returns {StanzaNode}
 */
export function chatstate(chat, state, opts = {}) {
  const from = chatJid(chat);
  /** @type {Record<string, any>} */
  const attrs = { from };
  if (opts.participant) attrs.participant = userJid(opts.participant);
  else if (isGroupJid(from)) throw new Error('sim: a group chatstate needs {participant}');
  const child =
    state === 'paused'
      ? { tag: 'paused', attrs: {}, content: null }
      : { tag: 'composing', attrs: state === 'recording' ? { media: 'audio' } : {}, content: null };
  return { tag: 'chatstate', attrs: withAdForm(attrs, opts), content: [child] };
}

let msgCounter = 0;

/**
 * An incoming text message. The page "decrypts" the enc bytes as UTF-8.
 * @param {string} chat
 * @param {{ participant?: string, body?: string, id?: string }} [opts]
 * @returns {StanzaNode}
 */
export function message(chat, opts = {}) {
  const from = chatJid(chat);
  const id = opts.id ?? `3EB0SIM${Date.now().toString(16).toUpperCase()}${++msgCounter}`;
  /** @type {Record<string, string>} */
  const attrs = { from, id, type: 'text', t: String(Math.floor(Date.now() / 1000)) };
  if (opts.participant) attrs.participant = userJid(opts.participant);
  else if (isGroupJid(from)) throw new Error('sim: a group message needs {participant}');
  // LID-addressed stanzas carry the sender's phone number when the server knows it.
  const senderJid = userJid(opts.participant ?? chat);
  const known = Object.values(fixtures.contacts).find((c) => c.lid === senderJid);
  if (known) attrs.notify = known.pushname;
  if (known?.lidMapped) attrs[opts.participant ? 'participant_pn' : 'sender_pn'] = known.phone;
  const body = new TextEncoder().encode(opts.body ?? 'hello');
  return { tag: 'message', attrs, content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: body }] };
}

/**
 * @param {any} node
 * @returns {any}
 */
function toJson(node) {
  if (node instanceof Uint8Array) return { $bytes: Buffer.from(node).toString('base64') };
  if (Array.isArray(node)) return node.map(toJson);
  if (!node || typeof node !== 'object') return node;
  /** @type {Record<string, any>} */
  const attrs = {};
  for (const [k, v] of Object.entries(node.attrs ?? {})) {
    attrs[k] = isWireObject(v) || (typeof v === 'string' && v.includes('@')) ? wireString(v) : v;
  }
  return { tag: node.tag, attrs, content: node.content == null ? null : toJson(node.content) };
}

/**
 * @param {StanzaNode} node
 * @param {{ compress?: boolean }} [opts]
 * @returns {Buffer}
 */
export function encodeFrame(node, opts = {}) {
  const body = Buffer.from(JSON.stringify(toJson(node)));
  return Buffer.concat([Buffer.from([opts.compress ? 2 : 0]), opts.compress ? deflateSync(body) : body]);
}

/**
 * Decode a frame the page sent. JIDs stay strings; bytes become Uint8Array.
 * @param {Buffer} frame
 * @returns {StanzaNode}
 */
export function decodeFrame(frame) {
  const body = (frame[0] ?? 0) & 2 ? inflateSync(frame.subarray(1)) : frame.subarray(1);
  return JSON.parse(body.toString('utf8'), (_k, v) =>
    v && typeof v === 'object' && typeof v.$bytes === 'string'
      ? new Uint8Array(Buffer.from(v.$bytes, 'base64'))
      : v,
  );
}
