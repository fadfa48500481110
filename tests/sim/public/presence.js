// Presence models as WhatsApp Web has them (WAWebPresenceCollection):
//   Presence: id (Wid), isOnline, hasData, isSubscribed, chatstate (Chatstate),
//             chatstates (per-participant Chatstates, groups), isGroup, isUser
//   Chatstate: id, type ('available'|'unavailable'|'typing'|'recording_audio'),
//              t (last seen, unix s), deny (last seen hidden)
// A change of a chatstate's type bubbles up as 'change:chatstate.type' with
// (chatstate, value) on the Presence, and from there on the collection. For a
// group the participant's Chatstate (in presence.chatstates) is the argument.
// Also here: WhatsApp's own handlers for incoming presence/chatstate stanzas.
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;

  window.__d('SimInternalPresence', ['SimInternalModel', 'SimInternalWid', 'SimInternalOutbox'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model, Collection, defineProps } = iNs('SimInternalModel');
    const { createWidFromWidLike, widFromWire, wireString } = iNs('SimInternalWid');
    const outbox = iNs('SimInternalOutbox');

    class Chatstate extends Model {
      constructor(attrs) {
        super(Object.assign({}, attrs, { id: createWidFromWidLike(attrs.id) }));
      }
    }
    defineProps(Chatstate, ['id', 'type', 't', 'deny', 'updateTime']);

    class ChatstateCollection extends Collection {
      constructor() { super(Chatstate); }
    }

    // Re-fire 'change:<prop>' of a chatstate as 'change:chatstate.<prop>'.
    function bubble(presence) {
      return (event, ...args) => {
        if (event.startsWith('change:')) presence.trigger('change:chatstate.' + event.slice(7), ...args);
      };
    }

    class Presence extends Model {
      constructor(attrs) {
        const id = createWidFromWidLike(attrs.id);
        super(Object.assign({ isOnline: false, hasData: false, isSubscribed: false }, attrs, { id }));
        this.chatstate = new Chatstate({ id });
        this.chatstates = new ChatstateCollection();
        this.chatstate.on('all', bubble(this));
        this.chatstates.on('all', bubble(this));
      }
      get isGroup() { return this.id.isGroup(); }
      get isUser() { return this.id.isUser(); }
      get typingUserIds() { return this._idsWith('typing'); }
      get recordingUserIds() { return this._idsWith('recording_audio'); }
      _idsWith(type) {
        const states = this.isGroup ? this.chatstates.getModelsArray() : [this.chatstate];
        return states.filter((c) => c.type === type).map((c) => c.id);
      }
      // Not a recorded entry point: WhatsApp calls this itself.
      subscribe() { return subscribe(this); }
    }
    defineProps(Presence, ['id', 'isOnline', 'hasData', 'isSubscribed']);

    class PresenceCollection extends Collection {
      constructor() { super(Presence); }
    }
    // find(wid) resolves the Presence and subscribes to it (network in reality).
    PresenceCollection.prototype.find = outbox.recorded('WAWebPresenceCollection', 'PresenceCollection.find', async function (wid) {
      const presence = this.gadd(createWidFromWidLike(wid));
      await subscribe(presence);
      return presence;
    });

    const presences = new PresenceCollection();

    // <presence type="subscribe" to=…><tctoken/></presence>, like WhatsApp.
    async function subscribe(presence, tcToken) {
      const wid = presence.id;
      if (tcToken === undefined && !wid.isGroup()) {
        const chat = iNs('SimInternalStore').chats.get(wid);
        tcToken = chat ? chat.getTcToken() : undefined;
      }
      const content = tcToken ? [{ tag: 'tctoken', attrs: {}, content: tcToken }] : null;
      outbox.sendStanza({ tag: 'presence', attrs: { type: 'subscribe', to: wireString(wid) }, content });
      presence.isSubscribed = true;
    }

    // Incoming <presence from=… [type=unavailable] [last=…|deny]/>.
    function handlePresence(node) {
      const presence = presences.gadd(widFromWire(node.attrs.from));
      const cs = presence.chatstate;
      const type = node.attrs.type;
      if (type === 'unavailable') {
        const last = node.attrs.last;
        cs.set({ t: last && last !== 'deny' ? Number(last) : undefined, deny: last === 'deny', updateTime: Date.now() });
        presence.set({ hasData: true, isOnline: false });
        cs.type = 'unavailable';
      } else if (!type || type === 'available') {
        cs.set({ deny: false, updateTime: Date.now() });
        presence.set({ hasData: true, isOnline: true });
        // An "online" while typing does not end the typing indicator.
        if (cs.type !== 'typing' && cs.type !== 'recording_audio') cs.type = 'available';
      }
    }

    // Incoming <chatstate from=chat [participant=member]><composing [media=audio]/>|<paused/></chatstate>.
    function handleChatstate(node) {
      const child = Array.isArray(node.content) ? node.content[0] : null;
      if (!child) return;
      let type;
      if (child.tag === 'composing') type = child.attrs.media === 'audio' ? 'recording_audio' : 'typing';
      else if (child.tag === 'paused') type = 'available'; // paused has no state of its own
      else return;
      const presence = presences.gadd(widFromWire(node.attrs.from));
      if (node.attrs.participant) {
        presence.hasData = true;
        const cs = presence.chatstates.gadd({ id: widFromWire(node.attrs.participant) });
        cs.updateTime = Date.now();
        cs.type = type;
      } else {
        presence.set({ hasData: true, isOnline: true });
        presence.chatstate.updateTime = Date.now();
        presence.chatstate.type = type;
      }
    }

    Object.assign(exports, { Presence, Chatstate, ChatstateCollection, PresenceCollection, presences, subscribe, handlePresence, handleChatstate });
  }, 1);

  d('WAWebPresenceCollection', ['SimInternalPresence'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.PresenceCollection = iNs('SimInternalPresence').presences;
  }, 1);
})();
