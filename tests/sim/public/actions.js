// App state (Socket, Stream, Cmd) and the functions WhatsApp Web uses to send
// presence. Modelled on WhatsApp's modules:
//   WAWebContactPresenceBridge  setPresenceAvailable / setPresenceUnavailable
//                               (the <presence type=available|unavailable/>
//                               stanza), subscribeUserPresence(lid),
//                               subscribeGroupPresence(wid); older builds only
//                               subscribePresence(wid, tcToken).
//   WAWebSendPresenceSubscriptionJob  sendUserPresenceSubscription(lid): the
//                               tcToken of getChatRecordByAccountLid(lid), `to`
//                               = userLidtoLidUserJid(lid), which only takes a
//                               LID (a phone id makes the job fail).
//   WAWebChatStateBridge        sendChatStateComposing / Recording / Paused(wid):
//                               a chatstate stanza to widToChatJid(wid), the
//                               id it is given (paused travels as "idle").
//   WAWebPresenceChatAction     getChatIdentifier(chat) = chat.accountLid on a
//                               migrated account (throws without one);
//                               markComposing/markRecording/markPaused(chat);
//                               sendPresenceAvailable/Unavailable() call the
//                               bridge directly.
//   WAWebStreamModel            (from the revised reference; the module itself
//                               was not in the index this session)
//                               markAvailable() cancels the idle timer and sets
//                               `available`; Stream's own change:available
//                               listener sends the stanza, available only while
//                               `uiActive`; unavailable also runs
//                               PresenceCollection.clearAllPresence().
// Every entry point is wrapped with outbox.recorded(), so each call shows up
// in sim.calls; what reaches the wire shows up in sim.sent.
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;
  const deps = ['SimInternalModel', 'SimInternalEvents', 'SimInternalOutbox', 'SimInternalConfig', 'SimInternalWid', 'SimInternalPresence'];

  d('SimInternalApp', deps, function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model, defineProps } = iNs('SimInternalModel');
    const { Events } = iNs('SimInternalEvents');
    const outbox = iNs('SimInternalOutbox');
    const cfg = iNs('SimInternalConfig');
    const { wireString } = iNs('SimInternalWid');
    const { presences } = iNs('SimInternalPresence');

    class SocketModel extends Model {
      logout() { exports.logout(); }
      reconnect() {}
    }
    defineProps(SocketModel, ['state', 'hasSynced', 'stream']);
    const Socket = new SocketModel({ state: undefined, hasSynced: false });

    const Cmd = new Events();
    Cmd.refreshQR = () => {};

    function sendOwnPresence(type) {
      outbox.sendStanza({ tag: 'presence', attrs: { type, name: cfg.fixtures.me.pushname }, content: null });
    }

    // WASendChatStateProtocol: <chatstate to=…><composing [media=audio]/>|<paused/></chatstate>
    function sendChatstate(wid, status) {
      const child = status === 'idle'
        ? { tag: 'paused', attrs: {}, content: null }
        : { tag: 'composing', attrs: status === 'recording_audio' ? { media: 'audio' } : {}, content: null };
      outbox.sendStanza({ tag: 'chatstate', attrs: { to: wireString(wid) }, content: [child] });
    }

    class StreamModel extends Model {
      markAvailable() {
        clearTimeout(this._idleTimer);
        this.available = true;
      }
      markUnavailable() {
        clearTimeout(this._idleTimer);
        this.available = false;
      }
      // Without user activity WhatsApp drops back to unavailable: a plain
      // assignment, so a redefined `available` (wa-js's pin) swallows it.
      _armIdle() {
        clearTimeout(this._idleTimer);
        this._idleTimer = setTimeout(() => {
          this.available = false;
          if (this.available) this._armIdle();
        }, cfg.idleFlipMs);
      }
    }
    defineProps(StreamModel, ['available', 'uiActive', 'mode', 'info', 'displayInfo']);
    StreamModel.prototype.markAvailable = outbox.recorded('WAWebStreamModel', 'Stream.markAvailable', StreamModel.prototype.markAvailable);
    StreamModel.prototype.markUnavailable = outbox.recorded('WAWebStreamModel', 'Stream.markUnavailable', StreamModel.prototype.markUnavailable);
    const Stream = new StreamModel({ available: false, uiActive: cfg.uiActive !== false, mode: 'OPENING', info: 'OPENING' });
    const contactBridge = () => window.require('WAWebContactPresenceBridge');
    Stream.on('change:available', () => {
      if (Stream.available) {
        Stream._armIdle();
        if (Stream.uiActive) contactBridge().setPresenceAvailable();
      } else {
        contactBridge().setPresenceUnavailable();
        presences.clearAllPresence();
      }
    });
    Stream.on('change:uiActive', () => {
      if (Stream.uiActive && Stream.available) contactBridge().setPresenceAvailable();
    });

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

  d('WAWebSendPresenceSubscriptionJob', ['SimInternalOutbox', 'SimInternalWid'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const outbox = iNs('SimInternalOutbox');
    const { wireString } = iNs('SimInternalWid');
    const subscribeStanza = (to, tcToken) => outbox.sendStanza({
      tag: 'presence',
      attrs: { type: 'subscribe', to },
      content: tcToken ? [{ tag: 'tctoken', attrs: {}, content: new Uint8Array(tcToken) }] : null,
    });
    // WAWebWidToJid.userLidtoLidUserJid: a typed conversion, LIDs only.
    const lidJid = (wid) => {
      if (!wid || !wid.isLid || !wid.isLid()) throw new Error('userLidtoLidUserJid: ' + String(wid) + ' is not a LID');
      return wireString(wid);
    };
    exports.sendUserPresenceSubscription = async (lid) => {
      const records = await window.require('WAWebApiChat').getChatRecordByAccountLid(lid);
      const tcToken = records[0] ? records[0].tcToken : undefined;
      subscribeStanza(lidJid(lid), tcToken);
    };
    exports.sendGroupPresenceSubscription = (wid) => subscribeStanza(wireString(wid));
    exports.sendLegacySubscription = (wid, tcToken) => subscribeStanza(wireString(wid), tcToken);
  }, 1);

  d('WAWebContactPresenceBridge', ['SimInternalApp', 'SimInternalWid', 'SimInternalOutbox', 'SimInternalConfig', 'WAWebSendPresenceSubscriptionJob'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const app = iNs('SimInternalApp');
    const { createWidFromWidLike } = iNs('SimInternalWid');
    const job = iNs('WAWebSendPresenceSubscriptionJob');
    const rec = (fn, impl) => iNs('SimInternalOutbox').recorded('WAWebContactPresenceBridge', fn, impl);
    exports.setPresenceAvailable = rec('setPresenceAvailable', () => app.sendOwnPresence('available'));
    exports.setPresenceUnavailable = rec('setPresenceUnavailable', () => app.sendOwnPresence('unavailable'));
    if (iNs('SimInternalConfig').legacySubscribe) {
      exports.subscribePresence = rec('subscribePresence', async (wid, tcToken) => job.sendLegacySubscription(createWidFromWidLike(wid), tcToken || null));
    } else {
      exports.subscribeUserPresence = rec('subscribeUserPresence', async (wid) => job.sendUserPresenceSubscription(createWidFromWidLike(wid)));
      exports.subscribeGroupPresence = rec('subscribeGroupPresence', async (wid) => job.sendGroupPresenceSubscription(createWidFromWidLike(wid)));
    }
  }, 1);

  d('WAWebChatStateBridge', ['SimInternalApp', 'SimInternalOutbox'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const app = iNs('SimInternalApp');
    const rec = (fn, impl) => iNs('SimInternalOutbox').recorded('WAWebChatStateBridge', fn, impl);
    exports.sendChatStateComposing = rec('sendChatStateComposing', async (wid) => app.sendChatstate(wid, 'typing'));
    exports.sendChatStateRecording = rec('sendChatStateRecording', async (wid) => app.sendChatstate(wid, 'recording_audio'));
    exports.sendChatStatePaused = rec('sendChatStatePaused', async (wid) => app.sendChatstate(wid, 'idle'));
  }, 1);

  d('WAWebPresenceChatAction', ['SimInternalOutbox', 'WAWebChatStateBridge', 'WAWebContactPresenceBridge', 'WAWebLidMigrationUtils'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const rec = (fn, impl) => iNs('SimInternalOutbox').recorded('WAWebPresenceChatAction', fn, impl);
    const chatState = () => iNs('WAWebChatStateBridge');
    const getChatIdentifier = (chat) => {
      if (!iNs('WAWebLidMigrationUtils').shouldHaveAccountLid(chat.id)) return chat.id;
      if (chat.accountLid == null) throw new Error('[presence] getChatIdentifier: lid-migrated client does not have an accountLid!');
      return chat.accountLid;
    };
    exports.getChatIdentifier = getChatIdentifier;
    exports.sendPresenceAvailable = rec('sendPresenceAvailable', () => iNs('WAWebContactPresenceBridge').setPresenceAvailable());
    exports.sendPresenceUnavailable = rec('sendPresenceUnavailable', () => iNs('WAWebContactPresenceBridge').setPresenceUnavailable());
    exports.markComposing = rec('markComposing', (chat) => chatState().sendChatStateComposing(getChatIdentifier(chat)));
    exports.markRecording = rec('markRecording', (chat) => chatState().sendChatStateRecording(getChatIdentifier(chat)));
    exports.markPaused = rec('markPaused', (chat) => chatState().sendChatStatePaused(getChatIdentifier(chat)));
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

  // The page's end of WAWebBackendApi: WAWebBridgeInitialization.makeBridge()
  // is set with setApi, then setFrontendHandlers registers the page's handler
  // objects. Whether it keeps a reference to WAWebPresenceBridgeApi's object or
  // copies its functions was not readable; the sim copies them at start, so a
  // wrapper put on PresenceBridgeApi later is not called (the safe assumption).
  window.__d('SimInternalBridge', ['WAWebBackendApi', 'WAWebPresenceBridgeApi'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const handlers = { event: Object.assign({}, iNs('WAWebPresenceBridgeApi').PresenceBridgeApi) };
    exports.bridge = {
      fireAndForget(ns, name, args) {
        const fn = handlers[ns] && handlers[ns][name];
        if (fn) fn(args);
      },
    };
    iNs('WAWebBackendApi').setApi(exports.bridge);
  }, 1);
})();
