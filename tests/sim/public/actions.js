// App state (Socket, Stream, Cmd) and the functions WhatsApp Web uses to send
// presence: WAWebContactPresenceBridge, WAWebChatStateBridge,
// WAWebPresenceChatAction, WAWebStreamModel, WAWebQueryExistsJob.
// Every entry point listed in the sim's brief is wrapped with
// outbox.recorded(), so each call shows up in sim.calls on the Node side;
// internal delegation calls the unwrapped implementations (no double records).
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;
  const deps = ['SimInternalModel', 'SimInternalEvents', 'SimInternalOutbox', 'SimInternalConfig', 'SimInternalWid'];

  d('SimInternalApp', deps, function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model, defineProps } = iNs('SimInternalModel');
    const { Events } = iNs('SimInternalEvents');
    const outbox = iNs('SimInternalOutbox');
    const cfg = iNs('SimInternalConfig');
    const { wireString } = iNs('SimInternalWid');

    // Socket: state OPENING → CONNECTED (or PAIRING → UNPAIRED without login).
    class SocketModel extends Model {
      logout() { exports.logout(); }
      reconnect() {}
    }
    defineProps(SocketModel, ['state', 'hasSynced', 'stream']);
    const Socket = new SocketModel({ state: undefined, hasSynced: false });

    const Cmd = new Events();
    Cmd.refreshQR = () => {};

    // <presence type=available|unavailable name=…/>: our own global presence.
    function sendOwnPresence(type) {
      outbox.sendStanza({ tag: 'presence', attrs: { type, name: cfg.fixtures.me.pushname }, content: null });
    }

    // <chatstate to=…><composing [media=audio]/>|<paused/></chatstate>
    function sendChatstate(wid, state) {
      const child = state === 'paused'
        ? { tag: 'paused', attrs: {}, content: null }
        : { tag: 'composing', attrs: state === 'recording' ? { media: 'audio' } : {}, content: null };
      outbox.sendStanza({ tag: 'chatstate', attrs: { to: wireString(wid) }, content: [child] });
    }

    // Stream: our own online state. WhatsApp flips `available` back to false
    // after a while without user activity; the flip is a plain assignment, so
    // a property redefinition on Stream (what wa-js does) pins it.
    class StreamModel extends Model {
      markAvailable() {
        this.available = true;
        sendOwnPresence('available');
        this._armIdleFlip();
      }
      markUnavailable() {
        clearTimeout(this._idleTimer);
        this.available = false;
        sendOwnPresence('unavailable');
      }
      _armIdleFlip() {
        clearTimeout(this._idleTimer);
        this._idleTimer = setTimeout(() => {
          this.available = false;
          if (this.available === false) sendOwnPresence('unavailable');
          else this._armIdleFlip(); // pinned: try again later, like the real idle check
        }, cfg.idleFlipMs);
      }
    }
    defineProps(StreamModel, ['available', 'mode', 'info', 'displayInfo']);
    StreamModel.prototype.markAvailable = outbox.recorded('WAWebStreamModel', 'Stream.markAvailable', StreamModel.prototype.markAvailable);
    StreamModel.prototype.markUnavailable = outbox.recorded('WAWebStreamModel', 'Stream.markUnavailable', StreamModel.prototype.markUnavailable);
    const Stream = new StreamModel({ available: false, mode: 'OPENING', info: 'OPENING' });

    exports.logout = () => {
      Socket.set({ hasSynced: false, state: 'UNPAIRED' });
      Stream.set({ mode: 'QR', available: false });
      Cmd.trigger('logout');
    };
    Object.assign(exports, { Socket, Stream, Cmd, sendOwnPresence, sendChatstate });
  }, 1);

  d('WAWebSocketModel', ['SimInternalApp'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.Socket = iNs('SimInternalApp').Socket;
  }, 1);

  d('WAWebStreamModel', ['SimInternalApp'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.Stream = iNs('SimInternalApp').Stream;
  }, 1);

  d('WAWebCmd', ['SimInternalApp'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.Cmd = iNs('SimInternalApp').Cmd;
  }, 1);

  d('WAWebContactPresenceBridge', ['SimInternalPresence', 'SimInternalWid', ...deps], function (g, r, iDef, iNs, rLazy, module, exports) {
    const p = iNs('SimInternalPresence');
    const { createWidFromWidLike } = iNs('SimInternalWid');
    const rec = (fn, impl) => iNs('SimInternalOutbox').recorded('WAWebContactPresenceBridge', fn, impl);
    const sub = (wid, tcToken) => p.subscribe(p.presences.gadd(createWidFromWidLike(wid)), tcToken);
    if (iNs('SimInternalConfig').legacySubscribe) {
      exports.subscribePresence = rec('subscribePresence', async (wid, tcToken) => sub(wid, tcToken || null));
    } else {
      exports.subscribeUserPresence = rec('subscribeUserPresence', async (wid) => sub(wid));
      exports.subscribeGroupPresence = rec('subscribeGroupPresence', async (wid) => sub(wid, null));
    }
  }, 1);

  d('WAWebChatStateBridge', ['SimInternalApp', 'SimInternalOutbox'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const app = iNs('SimInternalApp');
    const rec = (fn, impl) => iNs('SimInternalOutbox').recorded('WAWebChatStateBridge', fn, impl);
    exports.sendChatStateComposing = rec('sendChatStateComposing', async (wid) => app.sendChatstate(wid, 'composing'));
    exports.sendChatStateRecording = rec('sendChatStateRecording', async (wid) => app.sendChatstate(wid, 'recording'));
    exports.sendChatStatePaused = rec('sendChatStatePaused', async (wid) => app.sendChatstate(wid, 'paused'));
  }, 1);

  d('WAWebPresenceChatAction', ['SimInternalApp', 'SimInternalOutbox'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const app = iNs('SimInternalApp');
    const rec = (fn, impl) => iNs('SimInternalOutbox').recorded('WAWebPresenceChatAction', fn, impl);
    exports.sendPresenceAvailable = rec('sendPresenceAvailable', async () => app.sendOwnPresence('available'));
    exports.sendPresenceUnavailable = rec('sendPresenceUnavailable', async () => app.sendOwnPresence('unavailable'));
    exports.markComposing = rec('markComposing', async (chat) => app.sendChatstate(chat.id, 'composing'));
    exports.markRecording = rec('markRecording', async (chat) => app.sendChatstate(chat.id, 'recording'));
    exports.markPaused = rec('markPaused', async (chat) => app.sendChatstate(chat.id, 'paused'));
  }, 1);

  d('WAWebQueryExistsJob', ['SimInternalStore', 'SimInternalWid', 'SimInternalOutbox', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { createWidFromWidLike } = iNs('SimInternalWid');
    const fx = iNs('SimInternalConfig').fixtures;
    const known = new Set([fx.me.phone, fx.me.lid]);
    for (const c of Object.values(fx.contacts)) { known.add(c.phone); known.add(c.lid); }
    // A usync query in reality. Known fixture ids exist; anything else does
    // not. It never teaches a new phone <-> LID mapping (Carol stays unmapped).
    exports.queryWidExists = iNs('SimInternalOutbox').recorded('WAWebQueryExistsJob', 'queryWidExists', async (wid) => {
      const w = createWidFromWidLike(wid);
      return known.has(w._serialized) ? { wid: w } : null;
    });
  }, 1);
})();
