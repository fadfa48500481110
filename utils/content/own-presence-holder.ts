import type { CommandResult, OwnChatState, OwnPresence, PageCommand } from '../protocol/commands';

/** WhatsApp ends a typing/recording indicator by itself after about 25 s: renew before that. */
export const RENEW_EVERY_MS = 20_000;

export interface HolderDeps {
  run(command: PageCommand): Promise<CommandResult<unknown>>;
  /** Called with the new state after every change (the popup shows it). */
  report(state: OwnPresence): void;
  now(): number;
}

/**
 * Holds what the operator asked for, for as long as they asked, in the
 * WhatsApp tab itself (it lives exactly as long as the presence it holds):
 * typing/recording renewed every 20 s, then paused when the hold ends; online
 * held, then switched off when it expires (a web client that stays online
 * silences the phone's notifications). The page world only runs single actions.
 */
export function createOwnPresenceHolder(deps: HolderDeps) {
  const state: OwnPresence = { online: null, chatstate: null };
  let chatTimer: ReturnType<typeof setTimeout> | undefined;
  let onlineTimer: ReturnType<typeof setTimeout> | undefined;
  const snapshot = (): OwnPresence => ({ online: state.online && { ...state.online }, chatstate: state.chatstate && { ...state.chatstate } });
  const report = () => deps.report(snapshot());

  function endChatHold() {
    clearTimeout(chatTimer);
    state.chatstate = null;
  }

  function scheduleRenewal() {
    const hold = state.chatstate;
    if (!hold) return;
    const left = hold.until - deps.now();
    chatTimer = setTimeout(async () => {
      if (state.chatstate !== hold) return;
      if (left <= RENEW_EVERY_MS) {
        endChatHold();
        await deps.run({ type: 'chatstate', chatId: hold.chatId, state: 'paused' });
        return report();
      }
      const renewed = await deps.run({ type: 'chatstate', chatId: hold.chatId, state: hold.state });
      if (state.chatstate !== hold) return;
      if (renewed.ok) return scheduleRenewal();
      endChatHold(); // e.g. logged out meanwhile: stop, and say so
      report();
    }, Math.max(0, Math.min(left, RENEW_EVERY_MS)));
  }

  return {
    async chatState(chatId: string, wanted: OwnChatState, holdMs: number): Promise<CommandResult<OwnPresence>> {
      const previous = state.chatstate;
      if (previous && previous.chatId !== chatId) {
        endChatHold(); // typing in one chat at a time: the other one is paused
        await deps.run({ type: 'chatstate', chatId: previous.chatId, state: 'paused' });
      }
      const result = await deps.run({ type: 'chatstate', chatId, state: wanted });
      if (!result.ok) return result;
      endChatHold();
      if (wanted !== 'paused') {
        state.chatstate = { chatId, state: wanted, until: deps.now() + holdMs };
        scheduleRenewal();
      }
      report();
      return { ok: true, value: snapshot() };
    },
    async online(on: boolean, holdMs: number): Promise<CommandResult<OwnPresence>> {
      const result = await deps.run(on ? { type: 'online', holdMs } : { type: 'offline' });
      if (!result.ok) return result;
      clearTimeout(onlineTimer);
      state.online = null;
      if (on) {
        const since = deps.now();
        state.online = { since, until: since + holdMs };
        onlineTimer = setTimeout(async () => {
          state.online = null;
          await deps.run({ type: 'offline' });
          report();
        }, holdMs);
      }
      report();
      return { ok: true, value: snapshot() };
    },
    snapshot,
  };
}
