// Presence as WhatsApp Web has it. Read in WhatsApp's own modules (builds of
// 2025–2026, prettified copies in public code):
//   WAWebPresenceModel      Presence {id, isOnline, stale, hasData,
//                           isSubscribed, forceDisplay, chatstate (child),
//                           chatstates (collection, groups), typingUserIds,
//                           recordingUserIds}; Chatstate {id, type, t, deny,
//                           updateTime, expireTimerId}. A group's own
//                           chatstate is a debounced summary {id: last typer
//                           or "", type}; a 1:1's isOnline follows its
//                           chatstate type; reset() = hasData false, type
//                           unavailable, no t/deny.
//   WAWebPresenceCollection find → gadd + subscribe (1:1 keys must be LIDs on
//                           migrated accounts; the legacy build subscribes
//                           getChatIdentifier(chat) with the chat's tcToken);
//                           clearAllPresence() resets every model and marks
//                           it unsubscribed and stale.
//   WAWebChangePresenceHandlerAction  updates a model only if it exists
//                           (get, not gadd), groups per member in chatstates
//                           (the group's chat must exist), 'idle' ends
//                           typing, typing expires after 25 s.
//   WAWebHandlePresence     LID-only 1:1 presence on migrated accounts;
//                           `last` deny/none/error → no time, missing on
//                           unavailable → now; group presence carries a count.
//   WAWebHandleChatState    (the build that reports through WAWebBackendApi)
//                           → frontendFireAndForget('changePresenceHandler',
//                           {id, type, participant}).
//   WAWebPresenceBridgeApi  changePresenceHandler({id, type, participant}) →
//                           the action; resetPresence({id}).
// Events: a change of a child chatstate's prop re-fires on its Presence as
// 'change:chatstate.<prop>' (what wa-js listens to on PresenceCollection);
// member Chatstates in `chatstates` do not bubble that way.
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;
  const TYPING_EXPIRES_MS = 25e3; // WAWebChangePresenceHandlerAction

  window.__d('SimInternalPresence', ['SimInternalModel', 'SimInternalWid', 'SimInternalOutbox', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model, Collection, defineProps } = iNs('SimInternalModel');
    const { createWid, createWidFromWidLike, asUserLidOrThrow } = iNs('SimInternalWid');
    const outbox = iNs('SimInternalOutbox');
    const cfg = iNs('SimInternalConfig');
    const store = () => iNs('SimInternalStore');
    const bridge = () => window.require('WAWebContactPresenceBridge');
    const isLidMigrated = () => cfg.lidMigrated !== false;
    const isMe = (wid) => wid && (wid._serialized === cfg.fixtures.me.phone || wid._serialized === cfg.fixtures.me.lid);
    const active = (type) => type === 'typing' || type === 'recording_audio';

    class Chatstate extends Model {
      constructor(attrs) {
        const id = attrs.id === '' ? '' : createWidFromWidLike(attrs.id);
        super(Object.assign({}, attrs, { id }));
      }
      unset(key) { this.set(key, undefined); }
    }
    defineProps(Chatstate, ['id', 'type', 't', 'deny', 'updateTime', 'expireTimerId']);

    class ChatstateCollection extends Collection {
      constructor() { super(Chatstate); }
    }

    class Presence extends Model {
      constructor(attrs) {
        const id = createWidFromWidLike(attrs.id);
        super(Object.assign({ isOnline: false, stale: true, hasData: false, isSubscribed: false, forceDisplay: false, typingUserIds: [], recordingUserIds: [] }, attrs, { id }));
        this.chatstates = new ChatstateCollection();
        this.chatstate = new Chatstate(this.isGroup ? { id: '', type: 'unavailable' } : { id });
        this.chatstate.on('all', (event, ...args) => {
          if (event.startsWith('change:')) this.trigger('change:chatstate.' + event.slice(7), ...args);
        });
        if (this.isGroup) {
          let timer = null; // lodash.debounce without a wait: the next task
          this.chatstates.on('add change', () => {
            clearTimeout(timer);
            timer = setTimeout(() => this._summarize(), 0);
          });
        } else {
          this.chatstate.on('change:type', () => {
            if (this.chatstate.type === 'available') this.isOnline = true;
            else if (this.chatstate.type === 'unavailable') this.isOnline = false;
          });
        }
      }
      get isGroup() { return this.id.isGroup(); }
      get isUser() { return this.id.isUser(); }
      _summarize() {
        let last = null;
        let online = false;
        const typing = [];
        const recording = [];
        this.chatstates.forEach((c) => {
          if (active(c.type)) {
            (c.type === 'typing' ? typing : recording).push(c);
            if (!last || last.updateTime < c.updateTime) last = c;
          }
          online = online || c.type === 'available';
        });
        const ids = (list) => list.sort((a, b) => a.updateTime - b.updateTime).map((c) => c.id);
        const typingIds = ids(typing);
        const recordingIds = ids(recording);
        const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
        if (!same(typingIds, this.typingUserIds) || !same(recordingIds, this.recordingUserIds) || this.isOnline !== online) {
          this.set({ isOnline: online, typingUserIds: typingIds, recordingUserIds: recordingIds });
        }
        this.chatstate.set({ id: last ? last.id : '', type: last ? last.type : 'unavailable' });
      }
      reset() {
        this.hasData = false;
        if (this.isGroup) this.chatstates.forEach((c) => { c.type = 'unavailable'; });
        else if (this.isUser) { this.chatstate.unset('t'); this.chatstate.unset('deny'); }
        this.chatstate.set({ id: this.isGroup ? '' : this.id, type: 'unavailable', t: undefined, deny: undefined });
      }
      isActive() { return this.hasData && active(this.chatstate.type); }
      subscribe() { return presences.find(this.id); }
    }
    defineProps(Presence, ['id', 'isOnline', 'stale', 'hasData', 'isSubscribed', 'forceDisplay', 'chatActive', 'typingUserIds', 'recordingUserIds']);

    class PresenceCollection extends Collection {
      constructor() { super(Presence); }
      async _subscribe(wid) {
        if (cfg.legacySubscribe) return this._subscribeLegacy(wid);
        if (wid.isGroup()) {
          const chat = store().chats.get(wid);
          if (chat) await this._subscribeGroup(chat, (lid) => bridge().subscribeUserPresence(lid));
          return;
        }
        if (!wid.isLid()) {
          if (isLidMigrated()) console.error('[presence] presence key for 1:1 is not a LID: ' + wid.toLogString());
          return;
        }
        await bridge().subscribeUserPresence(wid);
      }
      async _subscribeLegacy(wid) {
        const chat = store().chats.get(wid);
        if (!chat) return;
        if (chat.id.isGroup()) return this._subscribeGroup(chat, (lid) => bridge().subscribePresence(lid, store().chatByAccountLid(lid)?.getTcToken()));
        await bridge().subscribePresence(window.require('WAWebPresenceChatAction').getChatIdentifier(chat), chat.getTcToken());
      }
      async _subscribeGroup(chat, subscribeMember) {
        const meta = chat.groupMetadata;
        if (!meta) return;
        const pending = [];
        meta.participants.forEach((p) => {
          if (isMe(p.id) || p.id.isBot()) return;
          const lid = asUserLidOrThrow(p.id);
          this.gadd(lid);
          pending.push(subscribeMember(lid));
        });
        await Promise.allSettled(pending);
      }
      async reSubscribeWhenActive(wid) {
        const p = this.get(wid);
        if (p && p.isSubscribed !== false) await this._subscribe(createWidFromWidLike(wid));
      }
      clearAllPresence() {
        this.forEach((p) => { p.reset(); p.set({ stale: true, isSubscribed: false }); });
      }
    }
    // find(wid): the model, subscribed (a network subscription in reality).
    PresenceCollection.prototype.find = outbox.recorded('WAWebPresenceCollection', 'PresenceCollection.find', async function (id) {
      const wid = createWidFromWidLike(id);
      const p = this.gadd(wid);
      if (p.isGroup || (p.isUser && !isMe(p.id))) await this._subscribe(wid);
      return p;
    });

    const presences = new PresenceCollection();

    // WAWebChangePresenceHandlerAction
    function changePresence(e) {
      if (isMe(e.id)) return;
      const p = presences.get(e.id);
      if (!p) return;
      apply(p, Object.assign({}, e));
      p.set({ stale: false });
    }
    function apply(p, n) {
      let idle = false;
      if (n.type === undefined) n.type = p.chatstate.type || 'unavailable';
      else if (n.type === 'idle') { idle = true; n.type = p.isOnline ? 'available' : 'unavailable'; }
      if (p.isGroup && n.type !== 'available' && !idle) n.updateTime = Date.now();
      let cs;
      if (p.isGroup) {
        if (n.participant == null || !store().chats.get(n.id)) return;
        n.id = n.participant;
        delete n.participant;
        cs = p.chatstates.gadd(n.id);
      } else {
        delete n.participant;
        cs = p.chatstate;
      }
      if (!idle || active(cs.type)) cs.set(n);
      if (cs.expireTimerId != null) clearTimeout(cs.expireTimerId);
      cs.expireTimerId = active(cs.type)
        ? setTimeout(() => { if (active(cs.type)) cs.type = p.isOnline ? 'available' : 'unavailable'; }, TYPING_EXPIRES_MS)
        : undefined;
      const forceDisplay = p.forceDisplay || p.isOnline || (p.isUser && !p.chatstate.deny);
      p.set({ hasData: true, isSubscribed: true, forceDisplay });
    }

    // WAWebPresenceBridgeApi.PresenceBridgeApi: what reaches the page through
    // WAWebBackendApi. Only id, type and participant cross.
    const PresenceBridgeApi = {
      changePresenceHandler: ({ id, type, participant }) =>
        changePresence({ id: createWid(id), type, participant: participant != null ? createWid(participant) : undefined }),
      resetPresence: ({ id }) => { const p = presences.get(createWid(id)); if (p) p.reset(); },
    };

    // WAWebHandlePresence (the build read calls the action directly, with
    // deny and t) and WAWebHandleChatState (through WAWebBackendApi).
    function handlePresence(node) {
      const parsed = window.SimCodec.parsePresence(node);
      const event = window.SimCodec.presenceEvent(parsed, isLidMigrated());
      if (!event) {
        if (isLidMigrated() && parsed.name === 'User') console.error('[presence] Migrated client has a PN presence');
        return;
      }
      changePresence(Object.assign({}, event, { id: createWid(event.id) }));
    }
    function handleChatstate(node) {
      const event = window.SimCodec.chatstateEvent(window.SimCodec.parseChatstate(node));
      if (event) window.require('WAWebBackendApi').frontendFireAndForget('changePresenceHandler', event);
    }

    Object.assign(exports, { Presence, Chatstate, ChatstateCollection, PresenceCollection, presences, PresenceBridgeApi, changePresence, handlePresence, handleChatstate });
  }, 1);

  d('WAWebPresenceCollection', ['SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.PresenceCollection = iNs('SimInternalPresence').presences;
  }, 1);

  d('WAWebPresenceModel', ['SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const p = iNs('SimInternalPresence');
    Object.assign(exports, { Presence: p.Presence, Chatstate: p.Chatstate, ChatstateCollection: p.ChatstateCollection });
  }, 1);

  d('WAWebChangePresenceHandlerAction', ['SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    module.exports = { default: iNs('SimInternalPresence').changePresence, __esModule: true };
  }, 1);

  d('WAWebPresenceBridgeApi', ['SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.PresenceBridgeApi = iNs('SimInternalPresence').PresenceBridgeApi;
  }, 1);

  // WAWebBackendApi as read: setApi(bridge) once; frontendFireAndForget(name,
  // args) = bridge.fireAndForget('event', name, args); it throws before setApi.
  d('WAWebBackendApi', [], function (g, r, iDef, iNs, rLazy, module, exports) {
    let api = null;
    exports.setApi = (a) => { api = a; };
    exports.fireAndForgetInternalDoNotUse = (ns, name, args) => {
      if (!api) throw new Error('fireAndForget called before setApi!');
      api.fireAndForget(ns, name, args);
    };
    exports.frontendFireAndForget = (name, args) => exports.fireAndForgetInternalDoNotUse('event', name, args);
  }, 1);
})();
