// Chats, contacts, groups, messages and "me", built from the sim fixtures, and
// the WhatsApp modules that expose them: WAWebCollections, WAWebChatCollection,
// WAWebApiContact, WAWebApiChat, WAWebLidMigrationUtils,
// WAWebLid1X1MigrationGating, WAWebUserPrefsMeUser, WAWebConnModel.
// On a LID-migrated account (the default; `lidMigrated: false` for an older
// one) 1:1 chats keep their phone id and carry the contact's `accountLid`,
// which is what WhatsApp addresses (WAWebPresenceChatAction.getChatIdentifier,
// WAWebSendPresenceSubscriptionJob's getChatRecordByAccountLid).
(function () {
  'use strict';
  const d = window.require('SimInternalBuild').define;

  d('SimInternalStore', ['SimInternalModel', 'SimInternalWid', 'SimInternalOutbox', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model, Collection, defineProps } = iNs('SimInternalModel');
    const { createWid, widFromWire } = iNs('SimInternalWid');
    const outbox = iNs('SimInternalOutbox');
    const cfg = iNs('SimInternalConfig');
    const fx = cfg.fixtures;

    class Contact extends Model {
      get formattedName() { return this.name || this.pushname || '+' + this.id.user; }
      get formattedShortName() { return this.formattedName.split(' ')[0]; }
    }
    defineProps(Contact, ['id', 'name', 'pushname', 'isMyContact', 'type']);

    class GroupParticipant extends Model {}
    defineProps(GroupParticipant, ['id', 'isAdmin', 'isSuperAdmin']);

    class GroupMetadata extends Model {
      constructor(attrs) {
        super(attrs);
        this.participants = new Collection(GroupParticipant);
      }
      serialize() {
        return Object.assign({}, this.attributes, { participants: this.participants.map((p) => p.serialize()) });
      }
    }
    defineProps(GroupMetadata, ['id', 'subject', 'owner', 'creation', 'announce', 'restrict', 'size']);

    class GroupMetadataCollection extends Collection {
      constructor() { super(GroupMetadata); }
    }
    // A network query for the group's metadata in reality; here a no-op refresh.
    GroupMetadataCollection.prototype.update = outbox.recorded('WAWebCollections', 'GroupMetadata.update', async function (wid) {
      return this.get(wid);
    });

    class Chat extends Model {
      constructor(attrs) {
        super(attrs);
        this.mute = { expiration: 0 };
      }
      get isGroup() { return this.id.isGroup(); }
      get groupMetadata() { return this.isGroup ? groups.get(this.id) : undefined; }
      get contact() { return contacts.get(this.id); }
      get formattedTitle() {
        if (this.isGroup) return this.groupMetadata ? this.groupMetadata.subject : this.name;
        return this.contact ? this.contact.formattedName : this.name || '+' + this.id.user;
      }
      // Trusted-contact token sent with presence subscriptions (bytes or undefined).
      getTcToken() { return this.get('tcToken'); }
      serialize() {
        const out = Object.assign({}, this.attributes, { isGroup: this.isGroup, formattedTitle: this.formattedTitle });
        delete out.tcToken;
        return out;
      }
    }
    defineProps(Chat, ['id', 'name', 't', 'unreadCount', 'archive', 'pin', 'isReadOnly', 'accountLid']);

    class Msg extends Model {}
    defineProps(Msg, ['id', 'body', 'type', 't', 'from', 'to', 'author', 'notifyName', 'isNewMsg', 'ack']);

    const contacts = new Collection(Contact);
    const chats = new Collection(Chat);
    const msgs = new Collection(Msg);
    const groups = new GroupMetadataCollection();
    const pnByLid = new Map();
    const lidByPn = new Map();

    const migrated = cfg.lidMigrated !== false;
    const keyed = (key) => (key === 'me' ? fx.me : fx.contacts[key]);
    if (cfg.loggedIn) {
      lidByPn.set(fx.me.phone, fx.me.lid);
      pnByLid.set(fx.me.lid, fx.me.phone);
      for (const c of Object.values(fx.contacts)) {
        contacts.add({ id: createWid(c.phone), name: c.name, pushname: c.pushname, isMyContact: true, type: 'in' });
        if (c.lidMapped) { lidByPn.set(c.phone, c.lid); pnByLid.set(c.lid, c.phone); }
      }
      const now = Math.floor(Date.now() / 1000);
      // Load-test accounts: many ordinary contacts, each with a chat, LID mapped.
      for (let i = 1; i <= (cfg.extraChats || 0); i++) {
        const n = String(i).padStart(4, '0');
        const phone = createWid('1555200' + n + '@c.us');
        contacts.add({ id: phone, name: 'Contact ' + i, pushname: 'C' + i, isMyContact: true, type: 'in' });
        lidByPn.set(phone._serialized, '8200' + n + '@lid');
        pnByLid.set('8200' + n + '@lid', phone._serialized);
        chats.add({ id: phone, name: 'Contact ' + i, t: now - 600 - i, unreadCount: 0, archive: false, pin: 0, tcToken: new TextEncoder().encode('tc-x' + n), accountLid: migrated ? createWid('8200' + n + '@lid') : undefined });
      }
      for (const key of fx.chats) {
        const group = fx.groups[key];
        if (group) {
          const meta = groups.add({ id: createWid(group.id), subject: group.subject, owner: createWid(fx.me.phone), creation: now - 86400, announce: false, restrict: false, size: group.participants.length });
          // 2026 groups are LID-addressed: participants are LIDs.
          meta.participants.add(group.participants.map((p) => ({ id: createWid(keyed(p).lid), isAdmin: p === 'me', isSuperAdmin: p === 'me' })));
          chats.add({ id: createWid(group.id), name: group.subject, t: now - 60, unreadCount: 0, archive: false, pin: 0 });
        } else {
          const c = fx.contacts[key];
          const tcToken = new TextEncoder().encode('tc-' + key);
          const accountLid = migrated && c.lidMapped ? createWid(c.lid) : undefined;
          chats.add({ id: createWid(c.phone), name: c.name, t: now - 120, unreadCount: 0, archive: false, pin: 0, tcToken, accountLid });
        }
      }
    }

    const phoneOf = (wid) => (pnByLid.has(wid._serialized) ? createWid(pnByLid.get(wid._serialized)) : undefined);
    const lidOf = (wid) => (lidByPn.has(wid._serialized) ? createWid(lidByPn.get(wid._serialized)) : undefined);
    const chatByAccountLid = (lid) => chats.models.find((c) => c.accountLid && c.accountLid._serialized === String(lid)) || chats.get(lid);

    // Incoming <message>: WhatsApp decrypts it and adds a Msg (fires 'add').
    function handleMessage(node) {
      const from = widFromWire(node.attrs.from);
      const author = node.attrs.participant ? widFromWire(node.attrs.participant) : undefined;
      const chatId = from.isLid() ? phoneOf(from) || from : from;
      const enc = Array.isArray(node.content) ? node.content.find((c) => c.tag === 'enc') : null;
      const body = enc && enc.content instanceof Uint8Array ? new TextDecoder().decode(enc.content) : '';
      const key = { fromMe: false, remote: chatId, id: node.attrs.id, participant: author };
      key._serialized = 'false_' + chatId._serialized + '_' + node.attrs.id + (author ? '_' + author._serialized : '');
      const t = Number(node.attrs.t) || Math.floor(Date.now() / 1000);
      const chat = chats.get(chatId);
      if (chat) chat.set({ t, unreadCount: (chat.unreadCount || 0) + 1 });
      msgs.add({ id: key, body, type: 'chat', t, from: chatId, to: createWid(fx.me.phone), author, notifyName: node.attrs.notify, isNewMsg: true, ack: 1 });
    }

    chats.getChatByAccountLid = chatByAccountLid;
    Object.assign(exports, { contacts, chats, msgs, groups, phoneOf, lidOf, chatByAccountLid, handleMessage, Chat, Contact, Msg, migrated });
  }, 1);

  d('WAWebCollections', ['SimInternalStore'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const s = iNs('SimInternalStore');
    Object.assign(exports, { Chat: s.chats, Contact: s.contacts, Msg: s.msgs, GroupMetadata: s.groups });
  }, 1);

  d('WAWebChatCollection', ['SimInternalStore'], function (g, r, iDef, iNs, rLazy, module, exports) {
    exports.ChatCollection = iNs('SimInternalStore').chats;
  }, 1);

  d('WAWebApiContact', ['SimInternalStore'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const s = iNs('SimInternalStore');
    exports.getCurrentLid = (wid) => s.lidOf(wid); // phone Wid → lid Wid | undefined
    exports.getPhoneNumber = (wid) => s.phoneOf(wid); // lid Wid → phone Wid | undefined
  }, 1);

  d('WAWebLidMigrationUtils', ['SimInternalStore'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const s = iNs('SimInternalStore');
    // lid → phone Wid, or null when unknown; a phone Wid is returned as is.
    exports.toPn = (wid) => (wid && wid.isLid && wid.isLid() ? s.phoneOf(wid) || null : wid || null);
    exports.toLid = (wid) => (wid && wid.isLid && wid.isLid() ? wid : s.lidOf(wid) || null);
    exports.toUserLid = exports.toLid;
    // A 1:1 chat of a migrated account is addressed by its accountLid.
    exports.shouldHaveAccountLid = (wid) => s.migrated && !!wid && wid.isUser() && !wid.isLid();
  }, 1);

  d('WAWebLid1X1MigrationGating', ['SimInternalStore'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const s = iNs('SimInternalStore');
    exports.Lid1X1MigrationUtils = { isLidMigrated: () => s.migrated };
  }, 1);

  d('WAWebApiChat', ['SimInternalStore'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const s = iNs('SimInternalStore');
    // A database read in reality: the chat records whose accountLid is `lid`.
    exports.getChatRecordByAccountLid = async (lid) => {
      const chat = s.chatByAccountLid(lid);
      return chat ? [{ id: chat.id._serialized, tcToken: chat.get('tcToken') }] : [];
    };
  }, 1);

  d('WAWebUserPrefsMeUser', ['SimInternalStore', 'SimInternalWid', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const cfg = iNs('SimInternalConfig');
    const { createWid } = iNs('SimInternalWid');
    exports.getMaybeMePnUser = () => (cfg.loggedIn ? createWid(cfg.fixtures.me.phone) : undefined);
    exports.getMaybeMeLidUser = () => (cfg.loggedIn ? createWid(cfg.fixtures.me.lid) : undefined);
    exports.getMeUser = () => {
      if (!cfg.loggedIn) throw new Error('getMeUser: not logged in');
      return createWid(cfg.fixtures.me.phone);
    };
  }, 1);

  d('WAWebConnModel', ['SimInternalModel', 'SimInternalWid', 'SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Model, defineProps } = iNs('SimInternalModel');
    const cfg = iNs('SimInternalConfig');
    class ConnModel extends Model {}
    defineProps(ConnModel, ['wid', 'pushname', 'platform', 'ref']);
    exports.Conn = new ConnModel(cfg.loggedIn
      ? { wid: iNs('SimInternalWid').createWid(cfg.fixtures.me.phone), pushname: cfg.fixtures.me.pushname, platform: 'android' }
      : { platform: undefined });
  }, 1);
})();
