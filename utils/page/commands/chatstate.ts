import type { OwnChatState, PageCommandValues } from '../../protocol/commands';
import { WA } from '../wa-modules';
import { CommandError, type CommandContext } from './context';

/** `WAWebChatStateBridge`'s function for each state (paused travels as "idle"). */
const BRIDGE_FUNCTION: Record<OwnChatState, string> = {
  typing: 'sendChatStateComposing',
  recording: 'sendChatStateRecording',
  paused: 'sendChatStatePaused',
};

/**
 * Sends typing / recording / paused in a chat with `WAWebChatStateBridge`,
 * addressed as WhatsApp's own typing code addresses it
 * (`WAWebPresenceChatAction.getChatIdentifier(chat)`: the contact's LID on a
 * migrated account). Nothing of WhatsApp is replaced for it. WhatsApp ends
 * typing by itself after about 25 s: renewing it is the content script's job.
 */
export async function sendChatState(
  ctx: CommandContext,
  chatId: string,
  state: OwnChatState,
): Promise<PageCommandValues['chatstate']> {
  ctx.needLoggedIn();
  const send = ctx.needFunction(WA.chatStateBridge, BRIDGE_FUNCTION[state]);
  const chat = ctx.chat(ctx.wid(chatId));
  if (!chat) throw new CommandError(`unknown chat ${chatId}: it is not among WhatsApp Web's chats`, 'unknown_chat');
  await send(ctx.address(chat));
  return { chatId, state };
}
