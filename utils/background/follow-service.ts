import { displayNumber, isChatId, isGroupId } from '../ids/chat-id';
import type { CommandResult } from '../protocol/commands';
import { followsStorage, type Follow } from '../storage';
import type { CommandService } from './command-service';
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
  let updates = Promise.resolve<unknown>(undefined);
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = updates.then(fn);
    updates = next.catch(() => undefined);
    return next;
  };

  async function keepRenewing(follows: Follow[]) {
    if (follows.length) await browser.alarms.create(RESUBSCRIBE_ALARM, { periodInMinutes: RESUBSCRIBE_EVERY_MINUTES });
    else await browser.alarms.clear(RESUBSCRIBE_ALARM);
  }

  async function renewAll() {
    const follows = await followsStorage.getValue();
    for (const [index, follow] of follows.entries()) {
      if (index) await wait(RENEW_GAP_MS);
      const result = await commands.toPage({ type: 'subscribe', chatId: follow.id });
      if (!result.ok) return console.warn('[wa-presence] renewing subscriptions stopped:', result.error);
    }
  }

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RESUBSCRIBE_ALARM) void renewAll();
  });

  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  const renewSoon = () => {
    clearTimeout(renewTimer);
    renewTimer = setTimeout(() => void renewAll(), RENEW_SOON_MS);
  };

  return {
    follow: (entry: { id: string; name?: string }): Promise<CommandResult<Follow[]>> =>
      serialized(async () => {
        if (!isChatId(entry.id)) return { ok: false, error: `"${String(entry.id).slice(0, 80)}" is not a WhatsApp chat id` };
        const follows = await followsStorage.getValue();
        const cap = settings.get().behaviour.followCap;
        const known = follows.some((follow) => follow.id === entry.id);
        if (!known && follows.length >= cap) {
          return {
            ok: false,
            error: `You already follow ${cap} contacts, the cap: subscribing to many contacts looks like automation to WhatsApp and can get the account restricted. Unfollow one, or raise the cap in the options.`,
          };
        }
        const subscribed = await commands.toPage({ type: 'subscribe', chatId: entry.id });
        if (!subscribed.ok) return { ok: false, error: `Not subscribed: ${subscribed.error}` };
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
