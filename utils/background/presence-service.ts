import { browser } from 'wxt/browser';
import {
  activeOf, applyMessage, applySignal, evictStale, expireActive, nextExpiry, toWahaChat, trackActive,
  type ActiveSet, type ChatPresence, type PresenceChange, type PresenceTable,
} from '../presence/reducer';
import type { PresenceSignal } from '../presence/types';
import { createKeyedStore } from '../keyed-store';
import { PRESENCE_KEY_PREFIX } from '../presence/presence-keys';
import { toFlatPresence, toWahaPresence } from '../webhook/waha-payload';
import type { DeliveryService } from './delivery-service';
import type { SettingsCache } from './settings-cache';
import { createWakeUp, runSoon } from './timers';

const EXPIRY_ALARM = 'presence-expiry';
/**
 * Changed chats are written at most this often (a burst changes a chat many
 * times). Well inside the 30 s after which an idle worker is stopped, so a
 * stop never loses them.
 */
const SAVE_DELAY_MS = 250;
/** Version 1 kept the whole table under this one key. */
const V1_TABLE_KEY = 'presenceState';
/** A page's clock may be off, or its timestamp insane: beyond these bounds the time of arrival stands in. */
const MAX_AHEAD_MS = 60_000;
const MAX_BEHIND_MS = 24 * 60 * 60 * 1000;

/**
 * The page's time of a signal, if it is sane. Order between signals follows
 * it, so a timestamp far ahead would make every later real signal look older
 * and be dropped, and an expiry far ahead would never come.
 */
export function boundedAt(at: number, now: number): number {
  return Number.isFinite(at) && at <= now + MAX_AHEAD_MS && at >= now - MAX_BEHIND_MS ? at : now;
}

/**
 * The live presence per chat: applies what the page reports, forwards each
 * real change, ends typing that went quiet, and keeps the table in session
 * storage, one key per chat, writing only the chats that changed, so a stopped
 * worker resumes where it was and the popup follows it.
 */
export function createPresenceService(settings: SettingsCache, delivery: DeliveryService) {
  let table: PresenceTable = {};
  /** Who is typing or recording: expiry looks only at them (see reducer.ts). */
  let active: ActiveSet = new Set();
  /** Chats changed (or confirmed: the expiry moves) since the last save. */
  let dirty = new Set<string>();
  const store = createKeyedStore<ChatPresence>(browser.storage.session, PRESENCE_KEY_PREFIX, 'presence table');
  /**
   * Whether a chat is followed: by its id, or by the LID that travels beside
   * a contact's phone id (a follow may name a contact by its LID).
   */
  const isFollowed = (chatId: string, lid: string | undefined) =>
    settings.get().follows.some((follow) => follow.id === chatId || (lid !== undefined && follow.id === lid));
  const lidOfChat = (chatId: string) => table[chatId]?.presences[chatId]?.lid;

  /**
   * Chats not seen within the retention go (followed ones stay), then the
   * changed chats are written. A failed write is logged by the store and
   * written again by it; `storageError` says why meanwhile.
   */
  const save = () => {
    const cut = Date.now() - settings.get().behaviour.presenceRetentionHours * 3600_000;
    const writes: Promise<void>[] = evictStale(table, cut, (chatId) => isFollowed(chatId, lidOfChat(chatId))).map((chatId) => store.remove(chatId));
    for (const chatId of dirty) if (table[chatId]) writes.push(store.put(chatId, table[chatId]));
    dirty = new Set();
    void Promise.all(writes).catch(() => {});
  };
  const touched = (chatId: string) => dirty.add(chatId);
  const saveSoon = runSoon(save, SAVE_DELAY_MS);
  // The alarm behind it is the backup for a worker stopped before the timer fired.
  const wakeUp = createWakeUp(EXPIRY_ALARM, () => void ready.then(expireDue));
  const timeoutMs = () => settings.get().behaviour.typingTimeoutSeconds * 1000;

  function forward(change: PresenceChange) {
    trackActive(active, change);
    touched(change.chatId);
    saveSoon();
    return delivery.send({
      event: 'presence.update',
      timestamp: change.at,
      lane: change.chatId,
      payloadFor: (format) => (format === 'flat' ? toFlatPresence(change) : toWahaPresence(change)),
      fold: { participant: change.participant, change: { lastKnownPresence: change.state, lastSeen: change.lastSeen, at: change.at } },
    });
  }

  function expireDue() {
    const changes = expireActive(table, Date.now(), timeoutMs(), active);
    changes.forEach(forward);
    scheduleExpiry();
  }

  // To the next whole second: a typing confirmed again moves its expiry, and an
  // alarm set per signal batch would be a browser round-trip each time.
  const scheduleExpiry = () => {
    const next = nextExpiry(table, timeoutMs(), active);
    wakeUp.at(next === null ? null : Math.ceil(next / 1000) * 1000);
  };

  /** With the 'followed' scope, presence of other chats is neither kept nor forwarded. */
  const inScope = (chatId: string, lid?: string) => settings.get().behaviour.forwardScope !== 'followed' || isFollowed(chatId, lid);

  const ready = Promise.all([settings.ready, store.load()]).then(([, saved]) => {
    table = Object.fromEntries(saved);
    active = activeOf(table);
    void browser.storage.session.remove(V1_TABLE_KEY).catch(() => {});
    expireDue(); // what lapsed while the worker was stopped
    saveSoon(); // and what is now older than the retention goes
  });

  return {
    ready,
    async onSignals(signals: PresenceSignal[]) {
      await ready;
      const now = Date.now();
      const kept = signals.filter((signal) => inScope(signal.chatId, signal.chatId === signal.participant ? signal.lid : undefined));
      const changes = kept.map((signal) => applySignal(table, { ...signal, at: boundedAt(signal.at, now) })).filter((change) => change !== null);
      for (const signal of kept) touched(signal.chatId); // a repeat still moves the expiry
      saveSoon();
      await Promise.all(changes.map(forward));
      scheduleExpiry();
    },
    async onMessage(chatId: string, participant: string, at: number) {
      await ready;
      if (!inScope(chatId)) return;
      const change = applyMessage(table, chatId, participant, boundedAt(at, Date.now()));
      if (change) await forward(change);
      scheduleExpiry();
    },
    /** The tab went away or the account logged out: nothing is kept. */
    async clear() {
      await ready;
      const chatIds = [...new Set([...Object.keys(table), ...(await store.load()).keys()])];
      table = {};
      active = new Set();
      dirty = new Set();
      wakeUp.at(null);
      await Promise.all(chatIds.map((chatId) => store.remove(chatId)));
    },
    /** Why the table cannot be saved right now (the popup's delivery health shows it), or null. */
    get storageError() {
      return store.failing;
    },
    /** WAHA's presence shapes: one chat, or all. */
    async snapshot(chatId?: string) {
      await ready;
      const chats = chatId ? [table[chatId]].filter((chat) => chat !== undefined) : Object.values(table);
      return chats.map(toWahaChat);
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
