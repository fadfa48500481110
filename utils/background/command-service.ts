import { isChatId } from '../ids/chat-id';
import { sendMessage } from '../messaging';
import type { ChatList, ChatPresences, CommandResult, OwnChatState, OwnPresence, PageCommand } from '../protocol/commands';
import { ownPresenceStorage, whatsappSessionStorage } from '../storage';
import type { SettingsCache } from './settings-cache';

/** Chat-state holds are clamped: a typo must not keep "typing…" for a day. */
const MAX_HOLD_SECONDS = 600;

export const NO_TAB = 'No WhatsApp Web tab is open: open https://web.whatsapp.com and log in.';

const badId = (chatId: string): CommandResult<never> => ({
  ok: false,
  error: `"${String(chatId).slice(0, 80)}" is not a WhatsApp chat id (expected …@c.us, …@g.us or …@lid)`,
  kind: 'bad_id',
});

/**
 * Carries the operator's commands from the extension's pages to the WhatsApp
 * Web tab (its content script holds and renews; the page world acts) and
 * answers each with success or a reason. Settings decide the hold times; they
 * never travel further than the content script.
 */
export function createCommandService(settings: SettingsCache) {
  async function toPage<T>(command: PageCommand, holdMs?: number): Promise<CommandResult<T>> {
    const { tabId, status } = await whatsappSessionStorage.getValue();
    if (tabId === null || status === 'STOPPED') return { ok: false, error: NO_TAB, kind: 'no_tab' };
    try {
      return (await sendMessage('pageCommand', { command, holdMs }, tabId)) as CommandResult<T>;
    } catch (error) {
      return { ok: false, error: `The WhatsApp Web tab did not answer (reload it): ${String(error).slice(0, 200)}`, kind: 'no_tab' };
    }
  }

  return {
    toPage,
    listChats: () => toPage<ChatList>({ type: 'listChats' }),

    async setChatState(chatId: string, state: OwnChatState, holdSeconds?: number): Promise<CommandResult<OwnPresence>> {
      if (!isChatId(chatId)) return badId(chatId);
      const seconds = Math.min(Math.max(1, holdSeconds ?? settings.get().behaviour.chatStateHoldSeconds), MAX_HOLD_SECONDS);
      return toPage<OwnPresence>({ type: 'chatstate', chatId, state }, seconds * 1000);
    },

    async setOnline(online: boolean): Promise<CommandResult<OwnPresence>> {
      const holdMs = settings.get().behaviour.heldOnlineMinutes * 60_000;
      return toPage<OwnPresence>({ type: online ? 'online' : 'offline' }, holdMs);
    },

    async readPresence(chatId: string): Promise<CommandResult<ChatPresences>> {
      if (!isChatId(chatId)) return badId(chatId);
      return toPage<ChatPresences>({ type: 'readPresence', chatId });
    },

    /** The content script reports what it holds; the popup watches it. */
    onOwnPresence: (state: OwnPresence) => ownPresenceStorage.setValue(state),
  };
}

export type CommandService = ReturnType<typeof createCommandService>;
