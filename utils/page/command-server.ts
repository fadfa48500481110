import type { PageCommand } from '../protocol/commands';
import type { PageMessage } from '../protocol/page-messages';
import type { PageChannel } from './channel';
import type { CommandHandler } from './commands';
import { CommandError } from './commands/context';

/** A request from the content script over the private port. */
interface CommandRequest {
  id: string;
  command: PageCommand;
}

function isRequest(data: unknown): data is CommandRequest {
  const request = data as CommandRequest | null;
  return typeof request?.id === 'string' && typeof request.command?.type === 'string';
}

/**
 * Answers the content script's commands on the private port, one reply per
 * request id: the value, or an error an operator can act on. A failure inside
 * WhatsApp's own code is reported, never rethrown into the page.
 */
export function serveCommands(channel: PageChannel, handle: CommandHandler, send: (message: PageMessage) => void): void {
  channel.onMessage(async (data) => {
    if (!isRequest(data)) return;
    const { id, command } = data;
    try {
      send({ kind: 'reply', id, ok: true, value: await handle(command) });
    } catch (error) {
      const known = error instanceof CommandError;
      const text = known ? error.message : `WhatsApp Web failed: ${String(error).slice(0, 300)}`;
      send({ kind: 'reply', id, ok: false, error: text, errorKind: known ? error.kind : 'whatsapp_failed' });
    }
  });
}
