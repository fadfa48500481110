/**
 * Commands the operator gives WhatsApp Web, and their answers. Shared by every
 * hop: popup → background → content script (in the WhatsApp tab) → page world.
 * Types only: the page-world bundle imports this file, so no schema library here.
 */

/** The chat states the operator can send in a chat ('paused' ends typing/recording). */
export const OWN_CHAT_STATES = ['typing', 'recording', 'paused'] as const;
export type OwnChatState = (typeof OWN_CHAT_STATES)[number];

/** What the page world can be asked to do (one WhatsApp action each, no timers). */
export type PageCommand =
  | { type: 'chatstate'; chatId: string; state: OwnChatState }
  /**
   * `holdMs`: the page world lets go of the pin by itself a little after this
   * (ms), so that a content script gone meanwhile (extension updated or
   * disabled, page still open) cannot leave the phone's notifications silent.
   */
  | { type: 'online'; holdMs?: number }
  | { type: 'offline' }
  | { type: 'subscribe'; chatId: string }
  | { type: 'listChats' }
  | { type: 'readPresence'; chatId: string };

/** A chat or contact as the popup's pickers show it. */
export interface ChatEntry {
  id: string;
  name: string;
  isGroup: boolean;
}

export interface ChatList {
  /** Open chats (1:1 and groups), most recent first. */
  chats: ChatEntry[];
  /** Saved contacts with a phone id, by name. */
  contacts: ChatEntry[];
}

/** WAHA's `GET /presence/{chatId}` shape. */
export interface ChatPresences {
  id: string;
  presences: Array<{
    participant: string;
    lastKnownPresence: 'online' | 'offline' | 'typing' | 'recording' | 'paused';
    lastSeen: number | null;
  }>;
}

/** What each page command answers with when it succeeds. */
export interface PageCommandValues {
  chatstate: { chatId: string; state: OwnChatState };
  /** `pinned`: WhatsApp's own idle check can no longer flip it back. */
  online: { pinned: boolean };
  offline: { pinned: boolean };
  /** Which WhatsApp function did it (the current API or the older fallback), and the id it was addressed to (a LID on migrated accounts). */
  subscribe: { chatId: string; api: 'subscribeUserPresence' | 'subscribeGroupPresence' | 'subscribePresence'; address: string };
  listChats: ChatList;
  readPresence: ChatPresences;
}

/**
 * Why a command failed, for callers that decide what to do next (the follow
 * renewal stops for the first kinds, and skips a bad follow for the others).
 */
export const COMMAND_ERROR_KINDS = [
  'no_tab',
  'not_logged_in',
  'capability_missing',
  'unknown_chat',
  'not_on_whatsapp',
  'no_lid',
  'bad_id',
  'refused_by_cap',
  'whatsapp_failed',
] as const;
export type CommandErrorKind = (typeof COMMAND_ERROR_KINDS)[number];
/** Nothing can work until the operator acts (open the tab, log in, another build). */
export const BLOCKING_KINDS: ReadonlySet<CommandErrorKind> = new Set(['no_tab', 'not_logged_in', 'capability_missing']);

/** Every command answers: success with a value, or a sentence an operator can act on (and its kind). */
export type CommandResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string; kind?: CommandErrorKind };

/** The operator's own presence as the extension is currently sending it. */
export interface OwnPresence {
  /** Online held by the operator, until when (Unix ms); null when not held. */
  online: { since: number; until: number } | null;
  /** Typing/recording being sent (and renewed) in a chat, until when (Unix ms). */
  chatstate: { chatId: string; state: 'typing' | 'recording'; until: number } | null;
}
