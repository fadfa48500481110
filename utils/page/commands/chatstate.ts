import type { OwnChatState, PageCommandValues } from '../../protocol/commands';
import { WA } from '../wa-modules';
import { CommandError, type CommandContext } from './context';

/** What `WWebJS.sendChatstate` calls for each state, checked before calling it. */
const BRIDGE_FUNCTION: Record<OwnChatState, string> = {
  typing: 'sendChatStateComposing',
  recording: 'sendChatStateRecording',
  paused: 'sendChatStatePaused',
};
const WWEBJS_STATE: Record<OwnChatState, 'typing' | 'recording' | 'stop'> = { typing: 'typing', recording: 'recording', paused: 'stop' };

/**
 * Sends typing / recording / paused in a chat through whatsapp-web.js's page
 * utilities (`WWebJS.sendChatstate`). WhatsApp ends typing by itself after
 * about 25 s: renewing it is the content script's job.
 */
export async function sendChatState(
  ctx: CommandContext,
  chatId: string,
  state: OwnChatState,
): Promise<PageCommandValues['chatstate']> {
  ctx.needLoggedIn();
  ctx.needFunction(WA.chatStateBridge, BRIDGE_FUNCTION[state]);
  if (!ctx.chat(ctx.wid(chatId))) throw new CommandError(`unknown chat ${chatId}: it is not among WhatsApp Web's chats`);
  const wwebjs = (ctx.win as { WWebJS?: { sendChatstate?: (state: string, chatId: string) => Promise<unknown> } }).WWebJS;
  if (typeof wwebjs?.sendChatstate !== 'function') {
    throw new CommandError("whatsapp-web.js's page utilities are not loaded (WhatsApp Web has not finished syncing)");
  }
  await wwebjs.sendChatstate(WWEBJS_STATE[state], chatId);
  return { chatId, state };
}
