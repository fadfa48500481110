import { applyMessage, applySignal, evictStale, expireActive, nextExpiry, toWahaChat, type PresenceChange, type PresenceTable } from '../presence/reducer';
import type { PresenceSignal } from '../presence/types';
import { presenceStateStorage } from '../storage';
import { toFlatPresence, toWahaPresence } from '../webhook/waha-payload';
import type { DeliveryService } from './delivery-service';
import type { SettingsCache } from './settings-cache';
import { createWakeUp, runSoon } from './timers';

const EXPIRY_ALARM = 'presence-expiry';
/**
 * The table is written at most this often: a write per signal would copy the
 * whole table thousands of times in a burst. Well inside the 30 s after which
 * an idle worker is stopped, so a stop never loses it.
 */
const SAVE_DELAY_MS = 250;
const SAVE_RETRY_MS = 2000;
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
 * storage (written in batches) so a stopped worker resumes where it was.
 */
export function createPresenceService(settings: SettingsCache, delivery: DeliveryService) {
  let table: PresenceTable = {};
  /**
   * Whether a chat is followed: by its id, or by the LID that travels beside
   * a contact's phone id (a follow may name a contact by its LID).
   */
  const isFollowed = (chatId: string, lid: string | undefined) =>
    settings.get().follows.some((follow) => follow.id === chatId || (lid !== undefined && follow.id === lid));
  const lidOfChat = (chatId: string) => table[chatId]?.presences[chatId]?.lid;

  /** Chats not seen within the retention go (followed ones stay), then the table is written; a failed write is said and tried again. */
  const save = () => {
    const cut = Date.now() - settings.get().behaviour.presenceRetentionHours * 3600_000;
    evictStale(table, cut, (chatId) => isFollowed(chatId, lidOfChat(chatId)));
    presenceStateStorage.setValue(table).catch((error) => {
      console.warn('[wa-presence] presence table not saved (tried again):', String(error).slice(0, 200));
      setTimeout(saveSoon, SAVE_RETRY_MS);
    });
  };
  const saveSoon = runSoon(save, SAVE_DELAY_MS);
  // The alarm behind it is the backup for a worker stopped before the timer fired.
  const wakeUp = createWakeUp(EXPIRY_ALARM, () => void ready.then(expireDue));
  const timeoutMs = () => settings.get().behaviour.typingTimeoutSeconds * 1000;

  function forward(change: PresenceChange) {
    saveSoon();
    return delivery.send({
      event: 'presence.update',
      timestamp: change.at,
      lane: change.chatId,
      payloadFor: (format) => (format === 'flat' ? toFlatPresence(change) : toWahaPresence(change)),
    });
  }

  function expireDue() {
    const changes = expireActive(table, Date.now(), timeoutMs());
    changes.forEach(forward);
    scheduleExpiry();
  }

  const scheduleExpiry = () => wakeUp.at(nextExpiry(table, timeoutMs()));

  /** With the 'followed' scope, presence of other chats is neither kept nor forwarded. */
  const inScope = (chatId: string, lid?: string) => settings.get().behaviour.forwardScope !== 'followed' || isFollowed(chatId, lid);

  const ready = Promise.all([settings.ready, presenceStateStorage.getValue()]).then(([, saved]) => {
    table = saved;
    expireDue(); // what lapsed while the worker was stopped
    saveSoon(); // and what is now older than the retention goes
  });

  return {
    ready,
    async onSignals(signals: PresenceSignal[]) {
      await ready;
      const now = Date.now();
      const changes = signals
        .filter((signal) => inScope(signal.chatId, signal.chatId === signal.participant ? signal.lid : undefined))
        .map((signal) => applySignal(table, { ...signal, at: boundedAt(signal.at, now) }))
        .filter((change) => change !== null);
      saveSoon(); // a repeat still moves the expiry
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
      table = {};
      wakeUp.at(null);
      await presenceStateStorage.setValue({});
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
