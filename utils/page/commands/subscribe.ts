import type { PageCommandValues } from '../../protocol/commands';
import { WA, tryRequire } from '../wa-modules';
import { widToString } from '../wid';
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
  if (!found?.wid) throw new CommandError(`${chatId} is not on WhatsApp`, 'not_on_whatsapp');
}

/**
 * The id a 1:1 subscription goes to. On a LID-migrated account WhatsApp
 * subscribes LIDs only (`WAWebSendPresenceSubscriptionJob` turns the id with
 * `userLidtoLidUserJid`, and `WAWebPresenceCollection` refuses 1:1 keys that
 * are not LIDs): the chat's accountLid, or WhatsApp's local phone → LID map.
 */
async function userTarget(ctx: CommandContext, wid: any, chat: any, chatId: string): Promise<any> {
  if (chatId.endsWith('@lid') || !ctx.lidMigrated()) return wid;
  if (chat?.accountLid) return ctx.address(chat);
  const lid = await tryRequire(ctx.win, WA.apiContact)?.getCurrentLid?.(wid);
  if (widToString(lid)?.endsWith('@lid')) return lid;
  throw new CommandError(`WhatsApp Web knows no LID for ${chatId} yet: open a chat with them in WhatsApp Web once, then follow again`, 'no_lid');
}

/**
 * Subscribes to a contact's or a group's presence with the current API
 * (`subscribeUserPresence(lid)` / `subscribeGroupPresence(wid)`), or the
 * older `subscribePresence(getChatIdentifier(chat), tcToken)` on builds that
 * only have that, as WhatsApp's own collection does. The Presence model is
 * created first (`gadd`, as WhatsApp does for group members), because
 * WhatsApp's handler only updates models that exist. WhatsApp lets
 * subscriptions lapse; the background renews followed ones.
 */
export async function subscribePresence(ctx: CommandContext, chatId: string): Promise<PageCommandValues['subscribe']> {
  ctx.needLoggedIn();
  const bridge = tryRequire(ctx.win, WA.presenceBridge);
  if (!bridge) throw new CommandError(`${WA.presenceBridge} missing on WhatsApp Web ${ctx.version()}`, 'capability_missing');
  const wid = ctx.wid(chatId);
  const isGroup = chatId.endsWith('@g.us');
  const chat = ctx.chat(wid);
  if (isGroup && !chat) throw new CommandError(`unknown group ${chatId}: it is not among WhatsApp Web's chats`, 'unknown_chat');
  if (!isGroup) await checkExists(ctx, wid, chatId);
  const models = tryRequire(ctx.win, WA.presenceCollection)?.PresenceCollection;
  const ensureModel = (target: any) => models?.gadd?.(target);

  const current: Api = isGroup ? 'subscribeGroupPresence' : 'subscribeUserPresence';
  if (typeof bridge[current] === 'function') {
    const target = isGroup ? wid : await userTarget(ctx, wid, chat, chatId);
    ensureModel(target);
    await bridge[current](target);
    return { chatId, api: current, address: widToString(target) ?? chatId };
  }
  if (typeof bridge.subscribePresence === 'function') {
    const target = chat && !isGroup ? ctx.address(chat) : wid;
    ensureModel(target);
    await bridge.subscribePresence(target, isGroup ? undefined : chat?.getTcToken?.());
    return { chatId, api: 'subscribePresence', address: widToString(target) ?? chatId };
  }
  throw new CommandError(`${WA.presenceBridge}.${current} (and subscribePresence) missing on WhatsApp Web ${ctx.version()}`, 'capability_missing');
}
