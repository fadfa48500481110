import type { CommandResult } from '../protocol/commands';
import { checkRequest, type ControlRequest } from '../control/requests';
import { CONTROL_ERROR_KINDS, type ControlAnswer, type ControlErrorKind } from '../control/types';
import type { CommandService } from './command-service';
import type { FollowService } from './follow-service';
import type { PresenceService } from './presence-service';

export const REMOTE_OFF =
  'The operator has remote control switched off in the extension: nothing was done. They can turn it on in the popup or the options page.';

const KNOWN_KINDS: ReadonlySet<string> = new Set(CONTROL_ERROR_KINDS);

/** A page command's answer as WAHA's result (`null` for the void operations) or a refusal with its kind. */
function answerOf<T>(result: CommandResult<T>, value: (ok: T) => unknown = () => null): ControlAnswer {
  if (result.ok) return { ok: true, result: value(result.value) };
  const kind = (result.kind && KNOWN_KINDS.has(result.kind) ? result.kind : 'whatsapp_failed') as ControlErrorKind;
  return { ok: false, error: { kind, message: result.error } };
}

/**
 * WAHA's presence operations done by the same services as the popup's
 * buttons, so the operator's limits hold for the backend too: the held-online
 * expiry and the chat-state hold (command service), the follow cap and the
 * renewals (follow service).
 */
export function createControlOps(commands: CommandService, follows: FollowService, presence: PresenceService) {
  async function run(request: ControlRequest): Promise<ControlAnswer> {
    switch (request.op) {
      case 'presence.set':
        if ('chatId' in request) return answerOf(await commands.setChatState(request.chatId, request.presence));
        return answerOf(await commands.setOnline(request.presence === 'online'));
      case 'typing.start':
        return answerOf(await commands.setChatState(request.chatId, 'typing'));
      case 'typing.stop':
        return answerOf(await commands.setChatState(request.chatId, 'paused'));
      case 'presence.list':
        return { ok: true, result: await presence.snapshot() };
      case 'presence.get':
        return answerOf(await commands.readPresence(request.chatId), (value) => value);
      case 'presence.subscribe':
        return answerOf(await follows.follow({ id: request.chatId }));
    }
  }

  return {
    /** Checks the request, then runs it; `enabled` is the operator's switch, read at the moment of the request. */
    async handle(op: string, params: unknown, enabled: boolean): Promise<{ request: ControlRequest | null; answer: ControlAnswer }> {
      const checked = checkRequest(op, params);
      if (!checked.ok) return { request: null, answer: { ok: false, error: { kind: checked.kind, message: checked.message } } };
      if (!enabled) return { request: checked.request, answer: { ok: false, error: { kind: 'remote_off', message: REMOTE_OFF } } };
      return { request: checked.request, answer: await run(checked.request) };
    },
  };
}

export type ControlOps = ReturnType<typeof createControlOps>;
