// Ids and the wire. Two kinds of ids exist in WhatsApp Web:
//  - Wid (WAWebWidFactory): what models use. user + server ('c.us', 'g.us',
//    'lid'), _serialized 'user@server', isUser()/isGroup()/isLid()/equals().
//  - wire JID objects inside decoded stanzas: {$1: {user, server}} for
//    server-addressed ids, {$1: {user, device, domainType}} for device-addressed
//    users (domainType 0 = phone / s.whatsapp.net, 128 = LID); toString() gives
//    the JID string.
// WAWap.decodeStanza(frame, inflate) is async and resolves to {tag, attrs,
// content}; the socket code calls it through the exports object every time.
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;

  window.__d('SimInternalWid', ['SimInternalModel'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { keyOf } = iNs('SimInternalModel');
    const SERVERS = { 's.whatsapp.net': 'c.us' };

    class Wid {
      constructor(str) {
        const m = /^([^@:]+)(?::(\d+))?@([a-z.]+)$/.exec(String(str));
        if (!m) throw new Error('createWid: invalid wid "' + str + '"');
        this.server = SERVERS[m[3]] || m[3];
        this.user = m[1];
        if (m[2] !== undefined) this.device = Number(m[2]);
        this._serialized = this.user + (m[2] !== undefined ? ':' + m[2] : '') + '@' + this.server;
      }
      toString() { return this._serialized; }
      isUser() { return this.server === 'c.us' || this.server === 'lid'; }
      isGroup() { return this.server === 'g.us'; }
      isLid() { return this.server === 'lid'; }
      isBroadcast() { return this.server === 'broadcast'; }
      isNewsletter() { return this.server === 'newsletter'; }
      isStatus() { return this.user === 'status' && this.server === 'broadcast'; }
      equals(other) { return other != null && keyOf(other) === this._serialized; }
    }

    class WapJid {
      constructor(inner) { this.$1 = inner; }
      toString() {
        const j = this.$1;
        if (j.server) return j.user + '@' + j.server;
        return j.user + (j.device ? ':' + j.device : '') + '@' + (j.domainType === 128 ? 'lid' : 's.whatsapp.net');
      }
    }

    function createWid(str) {
      if (str instanceof Wid) return new Wid(str._serialized);
      if (typeof str !== 'string') throw new Error('createWid: expected a string, got ' + typeof str);
      return new Wid(str);
    }

    function createWidFromWidLike(x) {
      if (x instanceof Wid) return x;
      if (typeof x === 'string') return createWid(x);
      if (x instanceof WapJid) return widFromWire(x);
      if (x && typeof x._serialized === 'string') return createWid(x._serialized);
      if (x && x.user && x.server) return createWid(x.user + '@' + x.server);
      throw new Error('createWidFromWidLike: not a wid-like value');
    }

    // 'x@lid' / 'x:2@s.whatsapp.net' are device-addressed on the wire; plain
    // 'x@s.whatsapp.net' and 'x@g.us' are server-addressed.
    function wireJid(str) {
      const m = /^([^@:]+)(?::(\d+))?@([a-z.]+)$/.exec(String(str));
      if (!m) return str;
      const server = m[3] === 'c.us' ? 's.whatsapp.net' : m[3];
      if (server === 'lid') return new WapJid({ user: m[1], device: Number(m[2] || 0), domainType: 128 });
      if (m[2] !== undefined && server === 's.whatsapp.net') {
        return new WapJid({ user: m[1], device: Number(m[2]), domainType: 0 });
      }
      return new WapJid({ user: m[1], server });
    }

    // Wire JID (object or string) → the user/group Wid WhatsApp keys models by.
    function widFromWire(j) {
      if (!(j instanceof WapJid)) j = wireJid(String(j));
      const inner = j.$1;
      if (inner.server) return createWid(inner.user + '@' + inner.server);
      return createWid(inner.user + '@' + (inner.domainType === 128 ? 'lid' : 'c.us'));
    }

    // Wid or string → JID string as written on the wire.
    function wireString(x) {
      return String(x && x._serialized ? x._serialized : x).replace(/@c\.us$/, '@s.whatsapp.net');
    }

    Object.assign(exports, { Wid, WapJid, createWid, createWidFromWidLike, wireJid, widFromWire, wireString });
  }, 1);

  d('WAWebWidFactory', ['SimInternalWid'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const w = iNs('SimInternalWid');
    exports.createWid = w.createWid;
    exports.createWidFromWidLike = w.createWidFromWidLike;
    exports.isWidlike = (x) => !!x && (typeof x === 'string' || typeof x._serialized === 'string');
  }, 1);

  // Frame codec (see tests/sim/stanzas.mjs for the format): byte 0 = flags,
  // bit value 2 = deflated body; then UTF-8 JSON with JIDs as strings.
  window.__d('SimInternalWire', ['SimInternalWid'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { wireJid, wireString } = iNs('SimInternalWid');
    const JID_ATTRS = ['from', 'to', 'participant', 'recipient', 'sender_pn', 'participant_pn', 'sender_lid', 'participant_lid', 'jid'];

    const b64ToBytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const bytesToB64 = (b) => btoa(Array.from(b, (c) => String.fromCharCode(c)).join(''));

    function toNode(j) {
      const attrs = {};
      for (const [k, v] of Object.entries(j.attrs || {})) {
        attrs[k] = JID_ATTRS.includes(k) && typeof v === 'string' && v.includes('@') ? wireJid(v) : v;
      }
      let content = j.content == null ? null : j.content;
      if (Array.isArray(content)) content = content.map(toNode);
      else if (content && typeof content.$bytes === 'string') content = b64ToBytes(content.$bytes);
      return { tag: j.tag, attrs, content };
    }

    function toJson(node) {
      const attrs = {};
      for (const [k, v] of Object.entries(node.attrs || {})) {
        attrs[k] = v != null && typeof v === 'object' ? wireString(String(v)) : v;
      }
      let content = node.content == null ? null : node.content;
      if (Array.isArray(content)) content = content.map(toJson);
      else if (content instanceof Uint8Array) content = { $bytes: bytesToB64(content) };
      return { tag: node.tag, attrs, content };
    }

    async function decodeFrame(frame, inflate) {
      const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
      let body = bytes.subarray(1);
      if (bytes[0] & 2) body = new Uint8Array(await inflate(body));
      return toNode(JSON.parse(new TextDecoder().decode(body)));
    }

    function encodeFrame(node) {
      const body = new TextEncoder().encode(JSON.stringify(toJson(node)));
      const frame = new Uint8Array(body.length + 1);
      frame.set(body, 1);
      return frame;
    }

    async function inflate(bytes) {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    }

    Object.assign(exports, { decodeFrame, encodeFrame, inflate });
  }, 1);

  d('WAWap', ['SimInternalWire'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const wire = iNs('SimInternalWire');
    let counter = 0;
    exports.decodeStanza = (frame, inflate) => wire.decodeFrame(frame, inflate);
    exports.encodeStanza = (node) => wire.encodeFrame(node);
    exports.wap = (tag, attrs, content) => ({ tag, attrs: attrs || {}, content: content === undefined ? null : content });
    exports.generateId = () => Date.now().toString(36) + '.' + (++counter) + '-sim';
    exports.S_WHATSAPP_NET = 's.whatsapp.net';
  }, 1);
})();
