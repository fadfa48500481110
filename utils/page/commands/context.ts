import type { CommandErrorKind } from '../../protocol/commands';
import { WA, tryRequire, waVersion, type WaWindow } from '../wa-modules';

/** A failure the operator can act on; its message is shown as is, its kind tells callers what to do. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly kind: CommandErrorKind = 'whatsapp_failed',
  ) {
    super(message);
  }
}

/**
 * What every command needs from WhatsApp Web, looked up at call time (modules
 * can appear late, and a missing one must fail this command only, clearly).
 */
export function commandContext(win: WaWindow) {
  const version = () => waVersion(win);

  const lookUp = (module: string, keys: string[]) => keys.reduce((at: any, key) => at?.[key], tryRequire(win, module));
  const missing = (module: string, path: string) => new CommandError(`${module}.${path} missing on WhatsApp Web ${version()}`, 'capability_missing');

  function need(module: string, path: string): any {
    const value = lookUp(module, path.split('.'));
    if (value === undefined || value === null) throw missing(module, path);
    return value;
  }

  /** `path` may reach into an export (`Stream.markAvailable`); the function comes bound to its owner. */
  function needFunction(module: string, path: string): (...args: any[]) => any {
    const keys = path.split('.');
    const owner = lookUp(module, keys.slice(0, -1));
    const fn = owner?.[keys[keys.length - 1]!];
    if (typeof fn !== 'function') throw missing(module, path);
    return fn.bind(owner);
  }

  function needLoggedIn(): void {
    const socket = tryRequire(win, WA.socket)?.Socket;
    if (socket && !(socket.state === 'CONNECTED' && socket.hasSynced)) {
      throw new CommandError('WhatsApp Web is not logged in (or still loading): scan the QR code or wait for the chats to appear', 'not_logged_in');
    }
  }

  function wid(chatId: string): any {
    return needFunction(WA.widFactory, 'createWid')(chatId);
  }

  /** The Chat model, or undefined: reads the local collection only, never the network. */
  function chat(id: any): any {
    return tryRequire(win, WA.collections)?.Chat?.get?.(id) ?? undefined;
  }

  /** Whether 1:1 presence is keyed by LID on this account (unknown: assume it is, as on every 2026 build). */
  function lidMigrated(): boolean {
    const utils = tryRequire(win, WA.lidMigration)?.Lid1X1MigrationUtils;
    return typeof utils?.isLidMigrated === 'function' ? utils.isLidMigrated() === true : true;
  }

  /**
   * The id WhatsApp addresses a chat by (`getChatIdentifier`: the accountLid
   * of a migrated account's 1:1 chat, else the chat id). Where that function
   * is missing, the same rule is applied to the chat's own fields.
   */
  function address(chatModel: any): any {
    const getChatIdentifier = tryRequire(win, WA.presenceChatAction)?.getChatIdentifier;
    if (typeof getChatIdentifier !== 'function') return (lidMigrated() && chatModel.accountLid) || chatModel.id;
    try {
      return getChatIdentifier(chatModel) ?? chatModel.id;
    } catch {
      throw new CommandError(`WhatsApp Web has no LID for ${String(chatModel.id?._serialized ?? chatModel.id)} yet: open that chat in WhatsApp Web once, then try again`, 'no_lid');
    }
  }

  return { win, version, need, needFunction, needLoggedIn, wid, chat, lidMigrated, address };
}

export type CommandContext = ReturnType<typeof commandContext>;
