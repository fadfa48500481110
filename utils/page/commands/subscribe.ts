import type { PageCommandValues } from '../../protocol/commands';
import { WA, tryRequire } from '../wa-modules';
import { CommandError, type CommandContext } from './context';

type Api = PageCommandValues['subscribe']['api'];

/**
 * Makes sure a 1:1 id is a WhatsApp account before subscribing to it. Known
 * contacts and chats are checked locally; only an unknown number costs a
 * query (`queryWidExists`), and only because the operator asked for it.
 */
async function checkExists(ctx: CommandContext, wid: any, chatId: string) {
  const collections = tryRequire(ctx.win, WA.collections);
  if (collections?.Contact?.get?.(wid) || collections?.Chat?.get?.(wid)) return;
  const query = ctx.needFunction(WA.queryExists, 'queryWidExists');
  const found = await query(wid);
  if (!found?.wid) throw new CommandError(`${chatId} is not on WhatsApp`);
}

/**
 * Subscribes to a contact's or a group's presence with the current API
 * (`subscribeUserPresence` / `subscribeGroupPresence`), or the older
 * `subscribePresence(wid, tcToken)` on builds that only have that. WhatsApp
 * lets subscriptions lapse; the background renews followed ones periodically.
 */
export async function subscribePresence(ctx: CommandContext, chatId: string): Promise<PageCommandValues['subscribe']> {
  ctx.needLoggedIn();
  const bridge = tryRequire(ctx.win, WA.presenceBridge);
  if (!bridge) throw new CommandError(`${WA.presenceBridge} missing on WhatsApp Web ${ctx.version()}`);
  const wid = ctx.wid(chatId);
  const isGroup = chatId.endsWith('@g.us');
  if (isGroup && !ctx.chat(wid)) throw new CommandError(`unknown group ${chatId}: it is not among WhatsApp Web's chats`);
  if (!isGroup) await checkExists(ctx, wid, chatId);

  const current: Api = isGroup ? 'subscribeGroupPresence' : 'subscribeUserPresence';
  if (typeof bridge[current] === 'function') {
    await bridge[current](wid);
    return { chatId, api: current };
  }
  if (typeof bridge.subscribePresence === 'function') {
    // The older API sends the chat's trusted-contact token along, as WhatsApp itself did.
    const tcToken = isGroup ? undefined : ctx.chat(wid)?.getTcToken?.();
    await bridge.subscribePresence(wid, tcToken);
    return { chatId, api: 'subscribePresence' };
  }
  throw new CommandError(`${WA.presenceBridge}.${current} (and subscribePresence) missing on WhatsApp Web ${ctx.version()}`);
}
