import type { CommandResult, PageCommand } from '../protocol/commands';
import { parseCommandValue } from '../protocol/command-values';
import type { CommandReply } from '../protocol/page-messages';

const DEFAULT_TIMEOUT_MS = 10_000;

interface Pending {
  type: PageCommand['type'];
  resolve(result: CommandResult<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Requests to the page world over the private port, matched to their replies
 * by id. Every request settles: with the page's validated answer, its error,
 * or a timeout; a reply nobody asked for is ignored.
 */
export function createCommandClient(post: (request: { id: string; command: PageCommand }) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const pending = new Map<string, Pending>();
  let seq = 0;

  return {
    request(command: PageCommand): Promise<CommandResult<unknown>> {
      const id = `c${++seq}`;
      return new Promise((resolve) => {
        if (!post({ id, command })) {
          resolve({ ok: false, error: 'the WhatsApp Web hook is not running in this tab (reload the tab)', kind: 'no_tab' });
          return;
        }
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: `WhatsApp Web did not answer "${command.type}" within ${timeoutMs / 1000} s`, kind: 'whatsapp_failed' });
        }, timeoutMs);
        pending.set(id, { type: command.type, resolve, timer });
      });
    },
    onReply(reply: CommandReply): void {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      clearTimeout(entry.timer);
      if (!reply.ok) {
        return entry.resolve({ ok: false, error: reply.error ?? `"${entry.type}" failed in WhatsApp Web`, kind: reply.errorKind ?? 'whatsapp_failed' });
      }
      const parsed = parseCommandValue(entry.type, reply.value);
      entry.resolve(parsed.ok ? parsed : { ok: false, error: `WhatsApp Web answered "${entry.type}" unexpectedly (${parsed.reason})`, kind: 'whatsapp_failed' });
    },
    get pendingCount() {
      return pending.size;
    },
  };
}

export type CommandClient = ReturnType<typeof createCommandClient>;
