import { displayNumber, isChatId, isGroupId } from '../ids/chat-id';
import { BLOCKING_KINDS, type CommandResult } from '../protocol/commands';
import { followsStorage, type Follow } from '../storage';
import type { CommandService } from './command-service';
import { createSerialQueue } from './serial';
import type { SettingsCache } from './settings-cache';

const RESUBSCRIBE_ALARM = 'resubscribe-follows';
/** WhatsApp closes presence subscriptions over time (online sessions come in ~15 min chunks). */
export const RESUBSCRIBE_EVERY_MINUTES = 10;
/** Spacing between renewals: a burst of subscriptions looks like automation. */
const RENEW_GAP_MS = 250;

/** Reports of a reconnect and of dropped subscriptions come together: one renewal for them. */
const RENEW_SOON_MS = 1500;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The contacts and groups the operator follows: subscribed on demand (never all
 * chats at start-up), capped, renewed every few minutes and after each login.
 */
export function createFollowService(settings: SettingsCache, commands: CommandService) {
  const serialized = createSerialQueue('follows');

  async function keepRenewing(follows: Follow[]) {
    if (follows.length) await browser.alarms.create(RESUBSCRIBE_ALARM, { periodInMinutes: RESUBSCRIBE_EVERY_MINUTES });
    else await browser.alarms.clear(RESUBSCRIBE_ALARM);
  }

  /**
   * Renews every follow, a little apart. One that fails (a group the operator
   * left, a number gone from WhatsApp) is flagged and skipped; the renewal
   * stops only when nothing can work (no tab, logged out, the function missing).
   */
  async function renewAll() {
    const follows = await followsStorage.getValue();
    const outcomes = new Map<string, Follow['renewal'] | null>();
    for (const [index, follow] of follows.entries()) {
      if (index) await wait(RENEW_GAP_MS);
      const result = await commands.toPage({ type: 'subscribe', chatId: follow.id });
      if (result.ok) {
        outcomes.set(follow.id, null);
        continue;
      }
      if (result.kind && BLOCKING_KINDS.has(result.kind)) {
        console.warn('[wa-presence] renewing subscriptions stopped:', result.error);
        break;
      }
      outcomes.set(follow.id, { error: result.error, failures: (follow.renewal?.failures ?? 0) + 1, at: Date.now() });
    }
    if (outcomes.size) await serialized(() => recordRenewals(outcomes));
  }

  /** Writes what the renewal found, onto the follows as they are now (one may have been removed meanwhile). */
  async function recordRenewals(outcomes: Map<string, Follow['renewal'] | null>) {
    const current = await followsStorage.getValue();
    const next = current.map((follow) => {
      if (!outcomes.has(follow.id)) return follow;
      const { renewal: _old, ...rest } = follow;
      const renewal = outcomes.get(follow.id);
      return renewal ? { ...rest, renewal } : rest;
    });
    await followsStorage.setValue(next);
  }

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RESUBSCRIBE_ALARM) void renewAll();
  });
  // Re-ensured at every start (an update or a browser restart may have lost
  // it), without moving an alarm that is there: create() would restart its period.
  void Promise.all([followsStorage.getValue(), browser.alarms.get(RESUBSCRIBE_ALARM)])
    .then(([follows, alarm]) => (follows.length && alarm ? undefined : keepRenewing(follows)))
    .catch((error) => console.warn('[wa-presence] could not check the renewal alarm:', String(error)));

  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const renewSoon = () => {
    clearTimeout(renewTimer);
    renewTimer = setTimeout(() => void renewAll(), RENEW_SOON_MS);
  };

  return {
    follow: (entry: { id: string; name?: string }): Promise<CommandResult<Follow[]>> =>
      serialized(async () => {
        if (!isChatId(entry.id)) return { ok: false, error: `"${String(entry.id).slice(0, 80)}" is not a WhatsApp chat id`, kind: 'bad_id' };
        const follows = await followsStorage.getValue();
        const cap = settings.get().behaviour.followCap;
        const known = follows.some((follow) => follow.id === entry.id);
        if (!known && follows.length >= cap) {
          return {
            ok: false,
            error: `You already follow ${cap} contacts, the cap: subscribing to many contacts looks like automation to WhatsApp and can get the account restricted. Unfollow one, or raise the cap in the options.`,
            kind: 'refused_by_cap',
          };
        }
        const subscribed = await commands.toPage({ type: 'subscribe', chatId: entry.id });
        if (!subscribed.ok) return { ok: false, error: `Not subscribed: ${subscribed.error}`, ...(subscribed.kind ? { kind: subscribed.kind } : {}) };
        if (known) return { ok: true, value: follows };
        const name = entry.name?.trim().slice(0, 256) || displayNumber(entry.id);
        const next = [...follows, { id: entry.id, name, isGroup: isGroupId(entry.id), addedAt: Date.now() }];
        await followsStorage.setValue(next);
        await keepRenewing(next);
        return { ok: true, value: next };
      }),

    /** Stops renewing; WhatsApp lets the subscription lapse (it has no unsubscribe of its own). */
    unfollow: (chatId: string): Promise<CommandResult<Follow[]>> =>
      serialized(async () => {
        const next = (await followsStorage.getValue()).filter((follow) => follow.id !== chatId);
        await followsStorage.setValue(next);
        await keepRenewing(next);
        return { ok: true, value: next };
      }),

    /** After a login, a reload or a reconnect of WhatsApp Web, WhatsApp forgot every subscription. */
    onConnected: renewSoon,
    /** WhatsApp dropped its subscriptions while connected (the operator, or WhatsApp itself, went offline). */
    renewSoon,
    clear: () => serialized(async () => (await followsStorage.setValue([]), keepRenewing([]))),
  };
}

export type FollowService = ReturnType<typeof createFollowService>;
