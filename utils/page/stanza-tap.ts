import type { IncomingMessage } from '../protocol/page-messages';
import type { PresenceSignal } from '../presence/types';
import type { Capability } from './capabilities';
import { isTappedStanza, stanzaToMessage, stanzaToSignal, type IdResolver } from './stanza-to-signal';
import { WA } from './wa-modules';

/**
 * Taps WhatsApp Web's stanza decoder, as WAHA's WEBJS engine does: incoming
 * nodes pass through `require('WAWap').decodeStanza` (read at call time, also
 * when the backend worker owns the socket and hands stanzas to the page),
 * which resolves to `{tag, attrs, content}`. We wrap the export and return
 * WhatsApp's own promise untouched, so its code sees no difference; a wrapper
 * another extension put there first is wrapped in turn and keeps working.
 * Presence, chatstate and message nodes are mapped and handed over, all others
 * cost one tag comparison. On builds that handle presence in the worker no
 * presence node comes by at all: the sinks are told what passes, so the hook
 * can say the tap is quiet.
 */
export interface StanzaSinks {
  signal(signal: PresenceSignal): void;
  message(message: IncomingMessage): void;
  /** Installed; from now on `presenceSeen` says whether presence really passes through. */
  installed?(): void;
  /** A presence or chatstate node passed through the decoder. */
  presenceSeen?(): void;
}

export function stanzaTap(resolveId: IdResolver, sinks: StanzaSinks): Capability {
  return {
    name: 'stanzaTap',
    modules: [WA.wap],
    start(modules) {
      const wap = modules[WA.wap];
      const original = wap.decodeStanza;
      if (typeof original !== 'function') throw new Error(`${WA.wap}.decodeStanza is not a function`);

      const onNode = (node: unknown) => {
        if (!isTappedStanza(node)) return;
        try {
          const at = Date.now();
          if (node.tag === 'message') {
            const message = stanzaToMessage(node, resolveId, at);
            if (message) sinks.message(message);
          } else {
            sinks.presenceSeen?.();
            const signal = stanzaToSignal(node, resolveId, at);
            if (signal) sinks.signal(signal);
          }
        } catch {
          // A node we cannot read must never break WhatsApp's own handling of it.
        }
      };
      const ignore = () => {};
      // WhatsApp's own result, returned as is and at once; its own error thrown as is.
      const tapped = function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        try {
          if (result && typeof (result as Promise<unknown>).then === 'function') {
            (result as Promise<unknown>).then(onNode, ignore);
          } else {
            onNode(result);
          }
        } catch {
          // A result whose `then` cannot be read or called: WhatsApp still gets it, untouched.
        }
        return result;
      };
      wap.decodeStanza = tapped;
      sinks.installed?.();
      return () => {
        if (wap.decodeStanza === tapped) wap.decodeStanza = original;
      };
    },
  };
}
