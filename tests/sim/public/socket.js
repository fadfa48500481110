// The page's connection to the (simulated) WhatsApp server, wss://…/ws, and
// the last boot step. Binary frames are stanzas: each is decoded through
// require('WAWap').decodeStanza — read from the exports object on every frame,
// so a hook that replaces that property sees every stanza — then dispatched
// to WhatsApp's own handlers, which update the models. Frames are handled one
// at a time, in order, and acknowledged to the sim server (sim.deliver waits
// for that). Text frames are sim control messages (logout).
(function () {
  'use strict';
  const d = window.__d;

  d('SimInternalUi', ['SimInternalStore', 'SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const store = iNs('SimInternalStore');
    const { presences } = iNs('SimInternalPresence');
    const LABELS = { typing: 'typing…', recording_audio: 'recording audio…', available: 'online' };
    const $ = (id) => document.getElementById(id);

    // What the chat list shows next to a chat: its presence, found under the
    // chat id or (1:1, 2026 builds) under the contact's LID.
    function stateOf(chat) {
      const p = presences.get(chat.id) || (store.lidOf(chat.id) && presences.get(store.lidOf(chat.id)));
      if (!p) return '';
      if (chat.isGroup) {
        const active = p.chatstates.filter((c) => c.type === 'typing' || c.type === 'recording_audio');
        return active.length ? active.length + ' ' + (active.length > 1 ? 'people' : 'person') + ' typing…' : '';
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

  d('SimInternalSocket', ['SimInternalApp', 'SimInternalWire', 'SimInternalOutbox', 'SimInternalPresence', 'SimInternalStore', 'SimInternalUi', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Socket, Stream, Cmd, logout } = iNs('SimInternalApp');
    const wire = iNs('SimInternalWire');
    const outbox = iNs('SimInternalOutbox');
    const presence = iNs('SimInternalPresence');
    const store = iNs('SimInternalStore');
    const ui = iNs('SimInternalUi');
    const cfg = iNs('SimInternalConfig');
    const HANDLERS = { presence: presence.handlePresence, chatstate: presence.handleChatstate, message: store.handleMessage };

    let frameNo = 0;
    let chain = Promise.resolve();

    async function decode(bytes) {
      // WhatsApp's socket code reads WAWap's export at call time. A build
      // without the WAWap module still decodes, through its internal path.
      if (r('__debug').modulesMap.WAWap) return r('WAWap').decodeStanza(bytes, wire.inflate);
      return wire.decodeFrame(bytes, wire.inflate);
    }

    async function handleFrame(bytes) {
      const node = await decode(bytes);
      const handler = node && HANDLERS[node.tag];
      if (handler) handler(node);
    }

    function onMessage(ev) {
      if (typeof ev.data === 'string') {
        const msg = JSON.parse(ev.data);
        if (msg.type === 'logout') logout();
        return;
      }
      const n = ++frameNo;
      const bytes = new Uint8Array(ev.data);
      chain = chain
        .then(() => handleFrame(bytes))
        .then(() => null, (err) => { console.error('[wa-sim] stanza handling failed', err); return String(err); })
        .then((error) => outbox.control({ type: 'ack', n, error }));
    }

    function reportState() {
      outbox.control({ type: 'state', state: Socket.state, hasSynced: Socket.hasSynced });
      ui.status(Socket.state === 'CONNECTED' ? (Socket.hasSynced ? 'Connected' : 'Syncing…') : String(Socket.state));
    }

    function start() {
      Socket.on('change:state change:hasSynced', reportState);
      Cmd.on('logout', ui.showQr);
      presence.presences.on('change:chatstate.type change:isOnline', () => Socket.hasSynced && ui.render());
      Socket.state = 'OPENING';
      const ws = new WebSocket('wss://' + location.host + '/ws');
      ws.binaryType = 'arraybuffer';
      ws.onmessage = onMessage;
      ws.onopen = () => {
        outbox.setSink((data) => ws.send(data));
        if (!cfg.loggedIn) {
          Socket.state = 'PAIRING';
          Stream.mode = 'QR';
          ui.showQr();
          Socket.state = 'UNPAIRED';
          return;
        }
        Socket.state = 'CONNECTED';
        Stream.set({ mode: 'SYNCING', info: 'SYNCING' });
        setTimeout(() => {
          Stream.set({ mode: 'MAIN', info: 'NORMAL' });
          Socket.hasSynced = true;
          ui.render();
        }, cfg.syncDelayMs);
      };
      ws.onclose = () => {
        outbox.setSink(null);
        Stream.info = 'TIMEOUT';
        Socket.state = 'TIMEOUT';
      };
    }

    exports.start = start;
  }, 1);

  // Last chunk: start the app, as WhatsApp's bootloader does once its
  // modules are in.
  window.require('SimInternalSocket').start();
})();
