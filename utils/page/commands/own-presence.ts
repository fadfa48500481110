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
/**
 * The content script switches a held online off itself when the hold ends;
 * the page world lets go of the pin this much later on its own, in case the
 * content script is gone by then. Without a hold given, it lets go after the
 * longest hold the popup offers.
 */
export const PIN_GRACE_MS = 10_000;
/** The held-online expiry's maximum in the options (utils/ui/settings-form.ts). */
export const MAX_PIN_MS = 240 * 60_000;

export function createOwnPresence(ctx: CommandContext, onSubscriptionsDropped: () => void) {
  let pinned: { stream: any; own: PropertyDescriptor | undefined; deadline: ReturnType<typeof setTimeout> } | null = null;

  function pin(stream: any, holdMs: number | undefined) {
    const wanted = Number.isFinite(holdMs) && holdMs! > 0 ? Math.min(holdMs!, MAX_PIN_MS) : MAX_PIN_MS;
    const deadline = setTimeout(unpin, wanted + PIN_GRACE_MS);
    const current = pinned;
    if (current && current.stream === stream) {
      clearTimeout(current.deadline);
      current.deadline = deadline;
      return;
    }
    unpin();
    pinned = { stream, own: Object.getOwnPropertyDescriptor(stream, 'available'), deadline };
    Object.defineProperty(stream, 'available', {
      configurable: true,
      get: () => true,
      set: () => {}, // WhatsApp's idle check writes false here: ignored while held
    });
  }

  function unpin() {
    if (!pinned) return;
    const { stream, own, deadline } = pinned;
    clearTimeout(deadline);
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
    async online(holdMs?: number): Promise<PageCommandValues['online']> {
      ctx.needLoggedIn();
      const stream = ctx.need(WA.stream, 'Stream');
      const markAvailable = ctx.needFunction(WA.stream, 'Stream.markAvailable');
      const wasAvailable = stream.available === true;
      await markAvailable();
      pin(stream, holdMs);
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
