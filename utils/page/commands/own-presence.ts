import type { PageCommandValues } from '../../protocol/commands';
import { WA } from '../wa-modules';
import type { CommandContext } from './context';

/**
 * The operator's global online / offline, through WhatsApp's `Stream` model.
 * WhatsApp Web flips `Stream.available` back to false by itself after a while
 * without user activity; like wa-js, "online" pins the property so that flip
 * has no effect, and "offline" gives WhatsApp its own property back.
 */
export function createOwnPresence(ctx: CommandContext) {
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

  return {
    async online(): Promise<PageCommandValues['online']> {
      ctx.needLoggedIn();
      const markAvailable = ctx.needFunction(WA.stream, 'Stream.markAvailable');
      pin(ctx.need(WA.stream, 'Stream'));
      await markAvailable();
      return { pinned: true };
    },
    async offline(): Promise<PageCommandValues['offline']> {
      ctx.needLoggedIn();
      const markUnavailable = ctx.needFunction(WA.stream, 'Stream.markUnavailable');
      unpin();
      await markUnavailable();
      return { pinned: false };
    },
  };
}
