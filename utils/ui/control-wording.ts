import type { ControlHistoryEntry, ControlStatus } from '@/utils/control/types';
import { displayNumber, isGroupId } from '@/utils/ids/chat-id';
import { CONTROL_HISTORY_MAX, type ControlSettings } from '@/utils/storage';
import { agoText, clockTime, inText, secondsAgoText } from './time-wording';

/**
 * The remote-control channel in the operator's words: its state (options
 * page), each request the backend made (history), and what it last did to the
 * operator's own presence (popup). Pure: the caller passes `now`.
 */

export interface ControlStatusWording {
  text: string;
  tone: 'ok' | 'failing' | 'idle';
}

/** "relay.example:8443" out of the stored URL (shown, not the path: that may carry a token). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A reason as a clause inside our own sentence: no trailing full stop of its own. */
const clause = (detail: string) => detail.trim().replace(/[.\s]+$/, '');

export function controlStatusWording(status: ControlStatus, settings: ControlSettings, nowMs: number): ControlStatusWording {
  if (!settings.url) return { text: 'Off: no control URL is saved, so no channel is opened.', tone: 'idle' };
  const host = hostOf(settings.url);
  const reason = status.detail ? `: ${clause(status.detail)}` : '';
  switch (status.state) {
    case 'off':
      // Also what the fallback reads before the background first reacts to a new URL.
      return { text: `Not connected${reason || ' yet'}.`, tone: reason ? 'failing' : 'idle' };
    case 'waiting':
      return { text: `Waiting for WhatsApp Web: the channel to ${host} opens while a WhatsApp Web session is live.`, tone: 'idle' };
    case 'connecting':
      return { text: `Connecting to ${host}…`, tone: 'idle' };
    case 'connected': {
      const since = `Connected to ${host} since ${clockTime(status.since)} (${agoText(status.since, nowMs)}).`;
      // Connected but switched off: the backend is heard and refused, which the operator should not mistake for "working".
      return settings.enabled
        ? { text: since, tone: 'ok' }
        : { text: `${since} Remote control is off: its requests are refused.`, tone: 'idle' };
    }
    case 'retrying': {
      const next = status.retryAt ? `at ${clockTime(status.retryAt)} (${inText(status.retryAt, nowMs)})` : 'soon';
      return { text: `Not connected${reason}. Retrying ${next}.`, tone: 'failing' };
    }
  }
}

/**
 * The chat's name, when it is one: a contact followed by number (from the
 * relay, say) is stored with its number as its name, and "+1555…'s chat"
 * reads as a name it is not.
 */
function realChatName(entry: ControlHistoryEntry): string | undefined {
  const name = entry.chatName?.trim();
  if (!name || (entry.chatId && (name === entry.chatId || name === displayNumber(entry.chatId)))) return undefined;
  return name;
}

/** Who a request was about: the chat's name when the background knew it, else its number. */
function who(entry: ControlHistoryEntry): string {
  return realChatName(entry) ?? (entry.chatId ? displayNumber(entry.chatId) : 'a chat');
}

/** "Alice's chat", "the chat with +15551110001", "Sales team" (a group is its own chat). */
function chatPhrase(entry: ControlHistoryEntry): string {
  if (!entry.chatId && !realChatName(entry)) return 'a chat';
  if (entry.chatId && isGroupId(entry.chatId)) return who(entry);
  const name = realChatName(entry);
  return name ? `${name}'s chat` : `the chat with ${who(entry)}`;
}

function setPresenceText(entry: ControlHistoryEntry): string {
  switch (entry.presence) {
    case 'online':
    case 'offline':
      return `set you ${entry.presence}`;
    case 'typing':
    case 'recording':
    case 'paused':
      return `set ${entry.presence} in ${chatPhrase(entry)}`;
    default:
      return 'set your presence';
  }
}

/**
 * One request in plain words. Done ones read in the past ("followed Bob"),
 * refused ones as what was asked ("follow Bob"), next to the reason.
 */
export function controlOpText(entry: ControlHistoryEntry): string {
  const done = entry.ok;
  switch (entry.op) {
    case 'presence.set':
      return setPresenceText(entry);
    case 'presence.list':
      return 'read presence of all chats';
    case 'presence.get':
      return `read presence of ${who(entry)}`;
    case 'presence.subscribe':
      return `${done ? 'followed' : 'follow'} ${who(entry)}`;
    case 'typing.start':
      return `${done ? 'started' : 'start'} typing in ${chatPhrase(entry)}`;
    case 'typing.stop':
      return `${done ? 'stopped' : 'stop'} typing in ${chatPhrase(entry)}`;
    default:
      return `unknown operation "${entry.op}"`;
  }
}

export interface ControlHistoryLine {
  key: string;
  when: string;
  what: string;
  ok: boolean;
  /** "ok", or the reason it was refused or failed. */
  outcome: string;
}

/** The history as listed: newest first, at most CONTROL_HISTORY_MAX, whatever order it was stored in. */
export function controlHistoryLines(history: readonly ControlHistoryEntry[], nowMs: number): ControlHistoryLine[] {
  return [...history]
    .sort((a, b) => b.at - a.at)
    .slice(0, CONTROL_HISTORY_MAX)
    .map((entry, index) => ({
      key: `${entry.at}-${index}`,
      when: agoText(entry.at, nowMs),
      what: controlOpText(entry),
      ok: entry.ok,
      outcome: entry.ok ? 'ok' : clause(entry.error ?? 'failed'),
    }));
}

/** The operations that change what WhatsApp shows of the operator. */
const PRESENCE_CHANGING = new Set(['presence.set', 'typing.start', 'typing.stop']);

/** The newest request that changed the operator's presence and was carried out. */
export function lastPresenceChange(history: readonly ControlHistoryEntry[]): ControlHistoryEntry | undefined {
  let last: ControlHistoryEntry | undefined;
  for (const entry of history) {
    if (entry.ok && PRESENCE_CHANGING.has(entry.op) && (!last || entry.at > last.at)) last = entry;
  }
  return last;
}

/** What the operator looks like after that request: "online", "typing in Alice's chat", "stopped typing in …". */
function presenceNow(entry: ControlHistoryEntry): string {
  if (entry.op === 'typing.start') return `typing in ${chatPhrase(entry)}`;
  if (entry.op === 'typing.stop' || entry.presence === 'paused') return `stopped typing in ${chatPhrase(entry)}`;
  if (entry.presence === 'typing' || entry.presence === 'recording') return `${entry.presence} in ${chatPhrase(entry)}`;
  return entry.presence ?? 'presence set';
}

/** " (not connected: relay closed)" when the backend cannot reach this browser now. */
function connectionNote(status: ControlStatus): string {
  if (status.state === 'connected') return '';
  // While connecting, `detail` is the host being reached, not a reason.
  if (status.state === 'connecting') return ' (connecting…)';
  const why = status.detail ? clause(status.detail) : status.state === 'waiting' ? 'waiting for WhatsApp Web' : '';
  return ` (not connected${why ? `: ${why}` : ''})`;
}

/**
 * The popup's line about the team backend, or null when no control URL is
 * set (then there is nothing to say). Remote control off says so first: it
 * is what the operator needs to know, whatever the backend did before.
 */
export function remoteLastWording(
  history: readonly ControlHistoryEntry[],
  settings: ControlSettings,
  status: ControlStatus,
  nowMs: number,
): string | null {
  if (!settings.url) return null;
  if (!settings.enabled) return "Remote control is off: your team's backend cannot set your presence";
  const last = lastPresenceChange(history);
  const line = last ? `Your team's backend: ${presenceNow(last)}, ${secondsAgoText(last.at, nowMs)}` : "Your team's backend has not set your presence";
  return line + connectionNote(status);
}
