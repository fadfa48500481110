import type { PageCommand, PageCommandValues } from '../../protocol/commands';
import type { Capability } from '../capabilities';
import type { IdResolver } from '../stanza-to-signal';
import { WA, type WaWindow } from '../wa-modules';
import { listChats } from './chat-list';
import { sendChatState } from './chatstate';
import { commandContext } from './context';
import { createOwnPresence } from './own-presence';
import { readPresence } from './presence-read';
import { subscribePresence } from './subscribe';

export type CommandHandler = (command: PageCommand) => Promise<PageCommandValues[PageCommand['type']]>;

/** Runs one operator command against WhatsApp Web; throws a CommandError the operator can read. */
export function createCommandHandler(win: WaWindow, resolve: IdResolver, onSubscriptionsDropped: () => void): CommandHandler {
  const ctx = commandContext(win);
  const own = createOwnPresence(ctx, onSubscriptionsDropped);
  return async (command) => {
    switch (command.type) {
      case 'chatstate':
        return sendChatState(ctx, command.chatId, command.state);
      case 'online':
        return own.online(command.holdMs);
      case 'offline':
        return own.offline();
      case 'subscribe':
        return subscribePresence(ctx, command.chatId);
      case 'listChats':
        return listChats(ctx);
      case 'readPresence':
        return readPresence(ctx, command.chatId, resolve);
    }
  };
}

/** A command family's modules, reported live or missing like the listening capabilities (nothing to install). */
const reportOnly = (name: Capability['name'], modules: string[]): Capability => ({ name, modules, start: () => () => {} });

/** What the popup shows as available or not on this WhatsApp build. */
export const COMMAND_CAPABILITIES: readonly Capability[] = [
  reportOnly('chatState', [WA.chatStateBridge]),
  reportOnly('ownPresence', [WA.stream]),
  reportOnly('subscribe', [WA.presenceBridge]),
  reportOnly('chatList', [WA.collections]),
];
