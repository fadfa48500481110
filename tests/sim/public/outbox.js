// Outbox: everything the page tells the sim server. Call records (for
// sim.calls) and outgoing stanzas are queued until the socket is open.
(function () {
  'use strict';
  window.__d('SimInternalOutbox', ['SimInternalModel'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model } = iNs('SimInternalModel');
    const queue = [];
    let sink = null;

    function push(data) {
      if (sink) sink(data);
      else queue.push(data);
    }

    // Ids become strings; models become their id, so sim.calls is plain JSON.
    function plain(v, depth) {
      if (v == null || typeof v !== 'object') return typeof v === 'function' ? '[function]' : v;
      if (typeof v._serialized === 'string') return v._serialized;
      if (v instanceof Model) return plain(v.id, depth);
      if (v instanceof Uint8Array) return { bytes: Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') };
      if ('$1' in v) return String(v);
      if (depth > 3) return '[object]';
      if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
      const out = {};
      for (const [k, x] of Object.entries(v)) out[k] = plain(x, depth + 1);
      return out;
    }

    exports.record = (module, fn, args) => {
      push(JSON.stringify({ type: 'call', module, fn, args: Array.from(args, (a) => plain(a, 0)), at: Date.now() }));
    };
    // Wrap a WhatsApp function so every call into it is recorded.
    exports.recorded = (module, fn, impl) => function () {
      exports.record(module, fn, arguments);
      return impl.apply(this, arguments);
    };
    exports.control = (msg) => push(JSON.stringify(msg));
    exports.sendStanza = (node) => push(iNs('SimInternalWire').encodeFrame(node));
    exports.setSink = (fn) => {
      sink = fn;
      while (sink && queue.length) sink(queue.shift());
    };
  }, 1);
})();
