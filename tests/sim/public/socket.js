// The connection to the (simulated) WhatsApp server, wss://…/ws, and the last
// boot step. Binary frames are stanzas, handled one at a time, in order, and
// acknowledged to the sim server (sim.deliver waits for that). Text frames are
// sim control messages (logout, socket state, tab focus).
(function () {
  'use strict';
  const d = window.__d;

  d('SimInternalUi', ['SimInternalStore', 'SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const store = iNs('SimInternalStore');
    const { presences } = iNs('SimInternalPresence');
    const LABELS = { typing: 'typing…', recording_audio: 'recording audio…', available: 'online' };
    const $ = (id) => document.getElementById(id);

    // What the chat list shows next to a chat: its presence, under the id
    // WhatsApp addresses the chat by (the accountLid of a migrated account's
    // 1:1 chat). The list gets that Presence model (gadd, no subscription):
    // an assumption, since WhatsApp's rows show "typing…" and the handlers
    // only update models that exist.
    function stateOf(chat) {
      let p;
      const action = window.require('__debug').modulesMap.WAWebPresenceChatAction ? window.require('WAWebPresenceChatAction') : null;
      try { p = presences.gadd(action ? action.getChatIdentifier(chat) : chat.accountLid || chat.id); } catch (err) { return ''; }
      if (!p.hasData) return '';
      if (chat.isGroup) {
        const active = p.typingUserIds.length + p.recordingUserIds.length;
        return active ? active + ' ' + (active > 1 ? 'people' : 'person') + ' typing…' : '';
      }
      return LABELS[p.chatstate.type] || '';
    }

    exports.status = (text) => { if ($('status')) $('status').textContent = text; };
    exports.showQr = () => {
      if ($('qr')) $('qr').hidden = false;
      if ($('chat-list')) $('chat-list').replaceChildren();
    };
    exports.render = () => {
      const list = $('chat-list');
      if (!list) return;
      list.replaceChildren(...store.chats.getModelsArray().map((chat) => {
        const li = document.createElement('li');
        li.dataset.id = chat.id._serialized;
        li.textContent = chat.formattedTitle;
        const state = document.createElement('span');
        state.className = 'state';
        state.textContent = stateOf(chat);
        li.append(state);
        return li;
      }));
    };
  }, 1);

  // Comms, in one of three modes (config.comms), as WhatsApp runs them:
  //  'main'    the page owns the socket and decodes every frame with
  //            require('WAWap').decodeStanza (read at call time);
  //  'worker'  a real Web Worker owns the socket (WAWebCommsGating
  //            .isCommsInWorker(), builds from ~2.3000.1048) and hands each
  //            stanza to the page (WAWebCommsBackendWorkerHandlers →
  //            mainthread_comms.handleStanza), which decodes it with WAWap;
  //  'worker-handlers'  the worker also runs the presence and chat-state
  //            handlers, written to run there: the page's decodeStanza never
  //            sees presence, which arrives as WAWebBackendApi events
  //            ('changePresenceHandler') handled by WAWebPresenceBridgeApi.
  // Socket-stream disconnects clear every Presence (clearAllPresence); a
  // synced session then resumes: PAIRING with hasSynced, Stream.info RESUMING.
  d('SimInternalSocket', ['SimInternalApp', 'SimInternalWire', 'SimInternalOutbox', 'SimInternalPresence', 'SimInternalStore', 'SimInternalUi', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Socket, Stream, Cmd, logout } = iNs('SimInternalApp');
    const wire = iNs('SimInternalWire');
    const outbox = iNs('SimInternalOutbox');
    const presence = iNs('SimInternalPresence');
    const store = iNs('SimInternalStore');
    const ui = iNs('SimInternalUi');
    const cfg = iNs('SimInternalConfig');
    const HANDLERS = { presence: presence.handlePresence, chatstate: presence.handleChatstate, message: store.handleMessage };
    const mode = cfg.comms || 'main';

    async function decode(bytes) {
      // A build without the WAWap module still decodes, through its internal path.
      if (r('__debug').modulesMap.WAWap) return r('WAWap').decodeStanza(bytes, wire.inflate);
      return wire.decodeFrame(bytes, wire.inflate);
    }

    async function handleStanza(bytes) {
      const node = await decode(bytes);
      const handler = node && HANDLERS[node.tag];
      if (handler) await handler(node);
    }

    function onControl(msg) {
      if (msg.type === 'logout') logout();
      else if (msg.type === 'state') {
        if (msg.info) Stream.info = msg.info;
        if (msg.mode) Stream.mode = msg.mode;
        Socket.set({ state: msg.state, hasSynced: msg.hasSynced === undefined ? Socket.hasSynced : msg.hasSynced });
      } else if (msg.type === 'ui') Stream.uiActive = msg.active;
      else if (msg.type === 'removeChat') {
        store.chats.remove(msg.chatId);
        ui.render();
      }
    }

    function reportState() {
      outbox.control({ type: 'state', state: Socket.state, hasSynced: Socket.hasSynced });
      ui.status(Socket.state === 'CONNECTED' ? (Socket.hasSynced ? 'Connected' : 'Syncing…') : String(Socket.state));
    }

    function onOpen() {
      if (!cfg.loggedIn) {
        Socket.state = 'PAIRING';
        Stream.mode = 'QR';
        ui.showQr();
        Socket.state = 'UNPAIRED';
        return;
      }
      if (Socket.hasSynced) {
        Stream.info = 'RESUMING';
        Socket.state = 'PAIRING';
      } else {
        Socket.state = 'CONNECTED';
        Stream.set({ mode: 'SYNCING', info: 'SYNCING' });
      }
      setTimeout(() => {
        Stream.set({ mode: 'MAIN', info: 'NORMAL' });
        Socket.set({ state: 'CONNECTED', hasSynced: true });
        ui.render();
      }, cfg.syncDelayMs);
    }

    function onClose() {
      presence.presences.clearAllPresence();
      Stream.info = 'OPENING';
      if (Socket.state !== 'UNPAIRED') Socket.state = 'OPENING';
    }

    // Main-thread comms: the page's own WebSocket, one frame at a time, in order.
    function startMain() {
      let tries = 0;
      const connect = () => {
        let frameNo = 0;
        let chain = Promise.resolve();
        const ws = new WebSocket('wss://' + location.host + '/ws');
        ws.binaryType = 'arraybuffer';
        ws.onmessage = (ev) => {
          if (typeof ev.data === 'string') return onControl(JSON.parse(ev.data));
          const n = ++frameNo;
          const bytes = new Uint8Array(ev.data);
          chain = chain
            .then(() => handleStanza(bytes))
            .then(() => null, (err) => { console.error('[wa-sim] stanza handling failed', err); return String(err); })
            .then((error) => outbox.control({ type: 'ack', n, error }));
        };
        ws.onopen = () => {
          tries = 0;
          outbox.setSink((data) => ws.send(data));
          onOpen();
        };
        ws.onclose = () => {
          outbox.setSink(null);
          onClose();
          if (++tries <= 5) setTimeout(connect, cfg.reconnectDelayMs * tries);
        };
      };
      connect();
    }

    // Worker comms: the worker owns the socket; this is mainthread_comms.
    function startWorker() {
      const worker = new Worker('/static/comms-worker.js');
      const backendApi = window.require('WAWebBackendApi');
      worker.onmessage = async (ev) => {
        const m = ev.data;
        if (m.type === 'open') { outbox.setSink((data) => worker.postMessage({ type: 'send', data })); onOpen(); return; }
        if (m.type === 'close') { outbox.setSink(null); onClose(); return; }
        if (m.type === 'control') return onControl(m.msg);
        let error = null;
        try {
          if (m.type === 'stanza') await handleStanza(m.bytes);
          // The page's "event" namespace handler: WAWebStartBackendWorker
          // passes worker events to the page's own WAWebBackendApi.
          else if (m.type === 'event') backendApi.frontendFireAndForget(m.name, m.args);
        } catch (err) {
          console.error('[wa-sim] stanza handling failed', err);
          error = String(err);
        }
        worker.postMessage({ type: 'handled', n: m.n, error });
      };
      worker.postMessage({ type: 'start', url: 'wss://' + location.host + '/ws', handlers: mode === 'worker-handlers', migrated: cfg.lidMigrated !== false, reconnectDelayMs: cfg.reconnectDelayMs });
    }

    function start() {
      try { window.require('SimInternalBridge'); } catch (err) { /* a build without WAWebBackendApi */ }
      Socket.on('change:state change:hasSynced', reportState);
      Cmd.on('logout', ui.showQr);
      presence.presences.on('change:chatstate.type change:isOnline change:typingUserIds', () => Socket.hasSynced && ui.render());
      Socket.state = 'OPENING';
      if (mode === 'main') startMain();
      else startWorker();
    }

    exports.start = start;
  }, 1);

  // Last chunk: start the app, as WhatsApp's bootloader does once its
  // modules are in.
  window.require('SimInternalSocket').start();
})();
