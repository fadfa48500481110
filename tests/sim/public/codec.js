// The simulated wire, shared by the page and the comms worker (a plain script:
// the worker loads it with importScripts, the page as its second chunk).
//
// Frames: byte 0 = flags (bit value 2 = deflated body, which is why
// WAWap.decodeStanza takes an inflate function), then UTF-8 JSON of the node
// with JIDs as strings. Decoding turns JID attributes into wire-JID objects
// shaped as WhatsApp's decoder produces them (read in WhatsApp Web's `WAWap` /
// `WAJids` users, and Baileys src/WABinary/jid-utils.ts for the domains):
//   - a JID pair {user, server} for device-less ids ('x@s.whatsapp.net',
//     'x@lid', 'x@g.us'),
//   - an ad-JID {user, device, domainType} for device ids, with domainType
//     0 = s.whatsapp.net, 1 = lid, 128 = hosted, 129 = hosted.lid.
// String(jid) gives `user[:device]@server`, which is what WhatsApp's own code
// uses; the data sits in the minified private field `$1`.
(function (scope) {
  'use strict';
  var DOMAIN_SERVER = { 0: 's.whatsapp.net', 1: 'lid', 128: 'hosted', 129: 'hosted.lid' };
  var SERVER_DOMAIN = { 's.whatsapp.net': 0, lid: 1, hosted: 128, 'hosted.lid': 129 };
  var JID_ATTRS = ['from', 'to', 'participant', 'recipient', 'sender_pn', 'participant_pn', 'sender_lid', 'participant_lid', 'jid'];

  function WapJid(inner) { this.$1 = inner; }
  WapJid.prototype.toString = function () {
    var j = this.$1;
    if (j.server) return j.user + '@' + j.server;
    return j.user + (j.device ? ':' + j.device : '') + '@' + DOMAIN_SERVER[j.domainType];
  };

  // 'user[:device]@server' (backends' c.us accepted) → a wire JID. A device
  // suffix makes an ad-JID; `opts.adForm` forces the ad form with device 0
  // (how a LID arrives from a primary device in some stanzas).
  function wireJid(str, opts) {
    var m = /^([^@:]+)(?::(\d+))?@([a-z.]+)$/.exec(String(str));
    if (!m) return str;
    var server = m[3] === 'c.us' ? 's.whatsapp.net' : m[3];
    var adForm = m[2] !== undefined || (opts && opts.adForm);
    if (adForm && server in SERVER_DOMAIN) {
      return new WapJid({ user: m[1], device: Number(m[2] || 0), domainType: SERVER_DOMAIN[server] });
    }
    return new WapJid({ user: m[1], server: server });
  }

  // Wire JID → the string as written on the wire ('x@s.whatsapp.net', 'x:2@lid').
  function wireString(x) {
    if (x instanceof WapJid) return String(x);
    return String(x && x._serialized ? x._serialized : x).replace(/@c\.us$/, '@s.whatsapp.net');
  }

  var b64ToBytes = function (s) { return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); }); };
  var bytesToB64 = function (b) { return btoa(Array.from(b, function (c) { return String.fromCharCode(c); }).join('')); };

  // `$ad` lists the attributes the sender wants in ad-JID form (test control).
  function toNode(j) {
    var attrs = {};
    var ad = (j.attrs && j.attrs.$ad) || [];
    Object.keys(j.attrs || {}).forEach(function (k) {
      if (k === '$ad') return;
      var v = j.attrs[k];
      attrs[k] = JID_ATTRS.indexOf(k) >= 0 && typeof v === 'string' && v.indexOf('@') > 0 ? wireJid(v, { adForm: ad.indexOf(k) >= 0 }) : v;
    });
    var content = j.content == null ? null : j.content;
    if (Array.isArray(content)) content = content.map(toNode);
    else if (content && typeof content.$bytes === 'string') content = b64ToBytes(content.$bytes);
    return { tag: j.tag, attrs: attrs, content: content };
  }

  function toJson(node) {
    var attrs = {};
    Object.keys(node.attrs || {}).forEach(function (k) {
      var v = node.attrs[k];
      attrs[k] = v != null && typeof v === 'object' ? wireString(v) : v;
    });
    var content = node.content == null ? null : node.content;
    if (Array.isArray(content)) content = content.map(toJson);
    else if (content instanceof Uint8Array) content = { $bytes: bytesToB64(content) };
    return { tag: node.tag, attrs: attrs, content: content };
  }

  async function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function decodeFrame(frame, inflateFn) {
    var bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
    var body = bytes.subarray(1);
    if (bytes[0] & 2) body = new Uint8Array(await (inflateFn || inflate)(body));
    return toNode(JSON.parse(new TextDecoder().decode(body)));
  }

  function encodeFrame(node) {
    var body = new TextEncoder().encode(JSON.stringify(toJson(node)));
    var frame = new Uint8Array(body.length + 1);
    frame.set(body, 1);
    return frame;
  }

  // What WhatsApp's stanza parsers (WASmaxPresenceServerUpdateRPC,
  // WASmaxChatstateServerNotificationRPC + WAHandleChatStateProtocol) hand
  // their handlers. Chat states: composing → 'typing', composing
  // media=audio → 'recording_audio', paused → 'idle' (the same names
  // WAWebChatStateBridge sends: sendChatStatePaused sends "idle").
  function parsePresence(node) {
    var a = node.attrs || {};
    var from = String(a.from);
    if (/@g\.us$/.test(from) && a.count !== undefined) return { name: a.type === 'unavailable' ? 'GroupUnavailable' : 'GroupAvailable', from: a.from, count: Number(a.count) };
    return { name: 'User', from: a.from, type: a.type, last: a.last };
  }
  function parseChatstate(node) {
    var a = node.attrs || {};
    var child = Array.isArray(node.content) ? node.content[0] : null;
    if (!child) return null;
    var status = child.tag === 'composing' ? (child.attrs && child.attrs.media === 'audio' ? 'recording_audio' : 'typing') : child.tag === 'paused' ? 'idle' : null;
    if (!status) return null;
    return a.participant ? { group: true, jid: a.from, participant: a.participant, status: status } : { group: false, jid: a.from, status: status };
  }

  // A wire JID as the Wid string WhatsApp keys models by, device dropped
  // (WAWebJidToWid.userJidToUserWid / chatJidToChatWid); a hosted id is a
  // phone id, hosted.lid a LID.
  var WID_SERVER = { 's.whatsapp.net': 'c.us', hosted: 'c.us', 'hosted.lid': 'lid' };
  function widString(j) {
    if (!(j instanceof WapJid)) j = wireJid(String(j));
    var inner = j.$1;
    var server = inner.server || DOMAIN_SERVER[inner.domainType];
    return inner.user + '@' + (WID_SERVER[server] || server);
  }

  // WAWebHandlePresence: the action's input, or null when WhatsApp drops the
  // stanza (a group count has no member; a migrated client drops PN presence).
  function presenceEvent(parsed, migrated) {
    if (parsed.name !== 'User') return null;
    var id = widString(parsed.from);
    var type = parsed.type || 'available';
    if (!migrated) return { id: id, type: type };
    if (!/@lid$/.test(id)) return null;
    var last = parsed.last;
    var t;
    if (type === 'unavailable') t = last == null ? Math.floor(Date.now() / 1000) : ['deny', 'none', 'error'].indexOf(last) >= 0 ? undefined : Number(last);
    return { id: id, type: type, deny: last === 'deny' || undefined, t: t };
  }

  // WAWebHandleChatState: what frontendFireAndForget('changePresenceHandler') carries.
  function chatstateEvent(parsed) {
    if (!parsed) return null;
    var event = { id: widString(parsed.jid), type: parsed.status };
    if (parsed.group) event.participant = widString(parsed.participant);
    return event;
  }

  scope.SimCodec = { WID_SERVER: WID_SERVER, widString: widString, presenceEvent: presenceEvent, chatstateEvent: chatstateEvent, parsePresence: parsePresence, parseChatstate: parseChatstate,  WapJid: WapJid, wireJid: wireJid, wireString: wireString, decodeFrame: decodeFrame, encodeFrame: encodeFrame, inflate: inflate, DOMAIN_SERVER: DOMAIN_SERVER };
})(self);
