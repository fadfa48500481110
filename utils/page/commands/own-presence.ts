import type { PageCommandValues } from '../../protocol/commands';
import { WA, tryRequire } from '../wa-modules';
import { CommandError, type CommandContext } from './context';

/**
 * The operator's global online / offline, through WhatsApp's own `Stream`
 * model, as WhatsApp's modules do it (`WAWebStreamModel`,
 * `WAWebPresenceChatAction`):
 * - `Stream.markAvailable()` only sets `available`; Stream's own
 *   change:available listener sends the stanza, and only while the tab is in
 *   the foreground (`uiActive`). So online calls it, then sends the stanza
 *   itself (`sendPresenceAvailable`) when that listener would not: tab in the
 *   background, or already available (no change, no event).
 * - WhatsApp flips `available` back after a while without user activity; like
 *   wa-js, a held online pins the property so that flip has no effect, and
 *   offline gives WhatsApp its own property back.
 * - `markUnavailable()` makes the listener send unavailable and drop every
 *   presence subscription (`clearAllPresence`): offline reports that, so the
 *   followed contacts are subscribed again.
 */
export function createOwnPresence(ctx: CommandContext, onSubscriptionsDropped: () => void) {
  let pinned: { stream: any; own: PropertyDescriptor | undefined } | null = null;

  function pin(stream: any) {
    if (pinned?.stream === stream) return;
    unpin();
    pinned = { stream, own: Object.getOwnPropertyDescriptor(stream, 'available') };
    Object.defineProperty(stream, 'available', {
      configurable: true,
      get: () => true,
      set: () => {}, // WhatsApp's idle check writes false here: ignored while held
    });
  }

  function unpin() {
    if (!pinned) return;
    const { stream, own } = pinned;
    pinned = null;
    delete stream.available;
    if (own) Object.defineProperty(stream, 'available', own);
  }

  /** The stanza itself: WAWebPresenceChatAction's, or the bridge it calls on builds without it. */
  function send(available: boolean) {
    const action = tryRequire(ctx.win, WA.presenceChatAction);
    const fn = available ? action?.sendPresenceAvailable : action?.sendPresenceUnavailable;
    if (typeof fn === 'function') return fn();
    const bridgeFn = available ? 'setPresenceAvailable' : 'setPresenceUnavailable';
    const bridge = tryRequire(ctx.win, WA.presenceBridge);
    if (typeof bridge?.[bridgeFn] !== 'function') {
      throw new CommandError(`${WA.presenceChatAction} and ${WA.presenceBridge}.${bridgeFn} missing on WhatsApp Web ${ctx.version()}`, 'capability_missing');
    }
    return bridge[bridgeFn]();
  }

  return {
    async online(): Promise<PageCommandValues['online']> {
      ctx.needLoggedIn();
      const stream = ctx.need(WA.stream, 'Stream');
      const markAvailable = ctx.needFunction(WA.stream, 'Stream.markAvailable');
      const wasAvailable = stream.available === true;
      await markAvailable();
      pin(stream);
      if (wasAvailable || stream.uiActive !== true) await send(true);
      return { pinned: true };
    },
    async offline(): Promise<PageCommandValues['offline']> {
      ctx.needLoggedIn();
      const stream = ctx.need(WA.stream, 'Stream');
      const markUnavailable = ctx.needFunction(WA.stream, 'Stream.markUnavailable');
      unpin();
      const wasAvailable = stream.available === true;
      await markUnavailable();
      if (!wasAvailable) await send(false);
      onSubscriptionsDropped();
      return { pinned: false };
    },
  };
}
