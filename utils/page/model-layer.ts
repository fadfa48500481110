import type { PresenceSignal } from '../presence/types';
import type { Capability } from './capabilities';
import { chatstateChangeToSignal, onlineChangeToSignal, type ChatstateLike, type PresenceLike } from './model-to-signal';
import type { IdResolver } from './stanza-to-signal';
import { WA } from './wa-modules';

interface PresenceModel extends PresenceLike {
  isGroup?: boolean;
  hasData?: boolean;
  chatstates?: { get?(id: unknown): ChatstateLike | undefined };
}

/** Finds the Presence a changed Chatstate belongs to: its own (1:1) or a group's member list. */
function ownerOf(collection: any, chatstate: ChatstateLike): { presence: PresenceModel; inGroup: boolean } | null {
  const direct: PresenceModel | undefined = collection.get?.(chatstate.id);
  if (direct?.chatstate === chatstate) return { presence: direct, inGroup: false };
  const models: PresenceModel[] = collection.getModelsArray?.() ?? [];
  for (const presence of models) {
    if (presence.chatstate === chatstate) return { presence, inGroup: false };
    if (presence.isGroup && presence.chatstates?.get?.(chatstate.id) === chatstate) return { presence, inGroup: true };
  }
  return null;
}

/**
 * The model layer: listens to WhatsApp's own Presence models, as wa-js does
 * (`PresenceCollection.on('change:chatstate.type')`, plus `change:isOnline`).
 * It sees presence only for contacts WhatsApp is subscribed to, and cannot
 * tell an exact "paused" or last seen apart as the stanza tap can; with both
 * live, the layer dedup drops what the stanza tap already said.
 */
export function presenceModelLayer(resolveId: IdResolver, emit: (signal: PresenceSignal) => void): Capability {
  return {
    name: 'presenceModels',
    modules: [WA.presenceCollection],
    start(modules) {
      const collection = modules[WA.presenceCollection].PresenceCollection;
      if (typeof collection?.on !== 'function') throw new Error(`${WA.presenceCollection}.PresenceCollection has no events`);
      // The type each Chatstate had, to tell "paused" (typing → available) from "online".
      const previousType = new WeakMap<object, unknown>();

      const onChatstateType = (chatstate: ChatstateLike) => {
        try {
          if (!chatstate || typeof chatstate !== 'object') return;
          const before = previousType.get(chatstate);
          previousType.set(chatstate, chatstate.type);
          const owner = ownerOf(collection, chatstate);
          if (!owner) return;
          const signal = chatstateChangeToSignal(owner.presence, chatstate, before, owner.inGroup, resolveId, Date.now());
          if (signal) emit(signal);
        } catch {
          // Never let our reading break WhatsApp's own event dispatch.
        }
      };
      // WhatsApp sets isOnline before the chatstate's type when a stanza arrives:
      // read it a microtask later, once the type says whether it is typing.
      const onIsOnline = (presence: PresenceModel) =>
        queueMicrotask(() => {
          try {
            const signal = presence && onlineChangeToSignal(presence, resolveId, Date.now());
            if (signal) emit(signal);
          } catch {
            // As above.
          }
        });
      collection.on('change:chatstate.type', onChatstateType);
      collection.on('change:isOnline', onIsOnline);
      return () => {
        collection.off?.('change:chatstate.type', onChatstateType);
        collection.off?.('change:isOnline', onIsOnline);
      };
    },
  };
}
