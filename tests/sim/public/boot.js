// Page bootstrap of the simulated WhatsApp Web (the real page also loads its
// code as a series of static script chunks; inline script is forbidden by the
// CSP). It fetches this load's build configuration from the sim server, then
// loads the chunks one after another, spread over config.bootDelayMs, so that
// window.require / window.__d and the modules appear asynchronously, like on
// web.whatsapp.com. The page's query (?variant=worker,legacy…) picks a build
// (tests/sim/server.mjs, VARIANTS).
(function () {
  'use strict';

  // Order matters: each chunk only registers modules (factories run lazily),
  // and socket.js finally starts the app.
  var CHUNKS = ['runtime.js', 'codec.js', 'base.js', 'ids.js', 'outbox.js', 'presence.js', 'store.js', 'actions.js', 'socket.js'];

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function load(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = '/static/' + name;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('chunk failed to load: ' + name)); };
      document.head.appendChild(s);
    });
  }

  async function boot() {
    var res = await fetch('/sim/config.json' + location.search, { cache: 'no-store' });
    var config = await res.json();
    var step = Math.max(0, config.bootDelayMs) / CHUNKS.length;
    for (var i = 0; i < CHUNKS.length; i++) {
      await sleep(step);
      await load(CHUNKS[i]);
      if (i === 0) {
        // The version string ships with the first chunk on the real page.
        window.Debug = window.Debug || {};
        window.Debug.VERSION = config.version;
        // Build configuration for the other chunks, as a private module
        // (not a WhatsApp module; never omitted).
        window.__d('SimInternalConfig', [], function (g, r, iDef, iNs, rLazy, module, exports) {
          Object.assign(exports, config);
        }, 1);
      }
    }
  }

  boot().catch(function (err) {
    console.error('[wa-sim] boot failed', err);
    var status = document.getElementById('status');
    if (status) status.textContent = 'Boot failed: ' + err.message;
  });
})();
