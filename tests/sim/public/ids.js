// Ids. Two kinds exist in WhatsApp Web:
//  - Wid (WAWebWidFactory): what models use. user + server ('c.us', 'g.us',
//    'lid'), _serialized 'user@server', isUser()/isGroup()/isLid()/equals().
//  - wire JIDs inside decoded stanzas (public/codec.js): JID pairs and
//    ad-JIDs with WhatsApp's domain types (0 phone, 1 LID, 128/129 hosted).
// WAWap.decodeStanza(frame, inflate) is async and resolves to {tag, attrs,
// content}; the socket code calls it through the exports object every time
// (WAWebCommsBackendWorkerHandlers and the main-thread comms both write
// `o("WAWap").decodeStanza(…)`, a property read at call time).
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;
  const codec = window.SimCodec;

  window.__d('SimInternalWid', ['SimInternalModel'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { keyOf } = iNs('SimInternalModel');
    // Wire servers → Wid servers (public/codec.js): a hosted id is a
    // phone-number id of a business hosted by Meta; its LID form is hosted.lid.
    const SERVERS = codec.WID_SERVER;

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
      toLogString() { return this._serialized; }
      isUser() { return this.server === 'c.us' || this.server === 'lid'; }
      isGroup() { return this.server === 'g.us'; }
      isLid() { return this.server === 'lid'; }
      isBot() { return this.server === 'bot'; }
      isBroadcast() { return this.server === 'broadcast'; }
      isNewsletter() { return this.server === 'newsletter'; }
      isStatus() { return this.user === 'status' && this.server === 'broadcast'; }
      equals(other) { return other != null && keyOf(other) === this._serialized; }
    }

    function createWid(str) {
      if (str instanceof Wid) return new Wid(str._serialized);
      if (typeof str !== 'string') throw new Error('createWid: expected a string, got ' + typeof str);
      return new Wid(str);
    }

    function createWidFromWidLike(x) {
      if (x instanceof Wid) return x;
      if (typeof x === 'string') return createWid(x);
      if (x instanceof codec.WapJid) return widFromWire(x);
      if (x && typeof x._serialized === 'string') return createWid(x._serialized);
      if (x && x.user && x.server) return createWid(x.user + '@' + x.server);
      throw new Error('createWidFromWidLike: not a wid-like value');
    }

    // Wire JID (object or string) → the user or chat Wid, without the device
    // (WAWebJidToWid.userJidToUserWid / chatJidToChatWid).
    function widFromWire(j) {
      if (!(j instanceof codec.WapJid)) j = codec.wireJid(String(j));
      const inner = j.$1;
      const server = inner.server || codec.DOMAIN_SERVER[inner.domainType];
      return createWid(inner.user + '@' + server);
    }

    // WAWebWidFactory.asUserLidOrThrow: a cast, not a lookup.
    function asUserLidOrThrow(wid) {
      const w = createWidFromWidLike(wid);
      if (!w.isLid()) throw new Error('asUserLidOrThrow: ' + w._serialized + ' is not a LID');
      return w;
    }

    Object.assign(exports, { Wid, createWid, createWidFromWidLike, widFromWire, asUserLidOrThrow, wireString: codec.wireString });
  }, 1);

  d('WAWebWidFactory', ['SimInternalWid'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const w = iNs('SimInternalWid');
    exports.createWid = w.createWid;
    exports.createWidFromWidLike = w.createWidFromWidLike;
    exports.asUserLidOrThrow = w.asUserLidOrThrow;
    exports.isWidlike = (x) => !!x && (typeof x === 'string' || typeof x._serialized === 'string');
  }, 1);

  window.__d('SimInternalWire', [], function (g, r, iDef, iNs, rLazy, module, exports) {
    Object.assign(exports, { decodeFrame: codec.decodeFrame, encodeFrame: codec.encodeFrame, inflate: codec.inflate });
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
