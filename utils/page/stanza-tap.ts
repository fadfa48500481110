import type { IncomingMessage } from '../protocol/page-messages';
import type { PresenceSignal } from '../presence/types';
import type { Capability } from './capabilities';
import { isTappedStanza, stanzaToMessage, stanzaToSignal, type IdResolver } from './stanza-to-signal';
import { WA } from './wa-modules';

/**
 * Taps WhatsApp Web's stanza decoder, as WAHA's WEBJS engine does: every
 * incoming node passes through `require('WAWap').decodeStanza`, which resolves
 * to `{tag, attrs, content}`. We wrap the export and return WhatsApp's own
 * promise untouched, so its code sees no difference; presence, chatstate and
 * message nodes are mapped and handed over, all others cost one tag comparison.
 */
export interface StanzaSinks {
  signal(signal: PresenceSignal): void;
  message(message: IncomingMessage): void;
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
            const signal = stanzaToSignal(node, resolveId, at);
            if (signal) sinks.signal(signal);
          }
        } catch {
          // A node we cannot read must never break WhatsApp's own handling of it.
        }
      };
      const tapped = function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(onNode, () => {});
        } else {
          onNode(result);
        }
        return result;
      };
      wap.decodeStanza = tapped;
      return () => {
        if (wap.decodeStanza === tapped) wap.decodeStanza = original;
      };
    },
  };
}
