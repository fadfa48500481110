import type { PresenceSignal } from '../presence/types';
import type { Capability } from './capabilities';
import { emptySnapshot, modelChanges, MAX_MEMBERS, type ChatstateView, type ModelSnapshot, type PresenceView } from './model-to-signal';
import type { IdResolver } from './stanza-to-signal';
import { WA } from './wa-modules';
import { widToString } from './wid';

/**
 * Events that mean "a Presence may have changed". The chatstate ones come from
 * a Presence's own Chatstate child (wa-js listens to `change:chatstate.type` on
 * the collection the same way; the Chatstate is the argument); a group's
 * member Chatstates are summarized into its typingUserIds / recordingUserIds
 * and its own chatstate, so those changes tell us to read the members.
 */
const CHATSTATE_EVENTS = ['change:chatstate.type', 'change:chatstate.t', 'change:chatstate.id'];
const PRESENCE_EVENTS = ['change:hasData', 'change:isOnline', 'change:typingUserIds', 'change:recordingUserIds'];

function readChatstate(chatstate: any): ChatstateView {
  return { id: widToString(chatstate?.id) ?? '', type: typeof chatstate?.type === 'string' ? chatstate.type : undefined, t: chatstate?.t, deny: chatstate?.deny };
}

function readPresence(presence: any): PresenceView | null {
  const id = widToString(presence?.id);
  if (!id || !presence.chatstate) return null;
  const isGroup = id.endsWith('@g.us');
  const models: any[] = isGroup ? (presence.chatstates?.getModelsArray?.() ?? []) : [];
  return {
    id,
    isGroup,
    hasData: presence.hasData === true,
    isOnline: presence.isOnline === true,
    chatstate: readChatstate(presence.chatstate),
    members: models.slice(0, MAX_MEMBERS).map(readChatstate).filter((member) => member.id),
  };
}

/**
 * The model layer: listens to WhatsApp's own Presence models
 * (`WAWebPresenceCollection.PresenceCollection`), which every comms mode ends
 * in, also when presence is handled off the page (WAWebBackendApi →
 * WAWebPresenceBridgeApi → WAWebChangePresenceHandlerAction). It sees only
 * the contacts WhatsApp has a model for (followed ones, open chats); a change
 * is read once per microtask, after WhatsApp has set every attribute.
 */
export interface ModelLayerSinks {
  signal(signal: PresenceSignal): void;
  /** How many signals the models gave in one go (the tap's liveness counts them). */
  changes?(count: number): void;
  /** Subscribed models turned unsubscribed: WhatsApp cleared its presence subscriptions. */
  subscriptionsDropped?(): void;
}

export function presenceModelLayer(resolveId: IdResolver, sinks: ModelLayerSinks): Capability {
  return {
    name: 'presenceModels',
    modules: [WA.presenceCollection],
    start(modules) {
      const collection = modules[WA.presenceCollection].PresenceCollection;
      if (typeof collection?.on !== 'function') throw new Error(`${WA.presenceCollection}.PresenceCollection has no events`);
      const snapshots = new WeakMap<object, ModelSnapshot>();
      const owners = new WeakMap<object, object>();
      const pending = new Set<object>();

      const flush = () => {
        const presences = [...pending];
        pending.clear();
        let count = 0;
        for (const presence of presences) {
          try {
            const view = readPresence(presence);
            if (!view) continue;
            let snapshot = snapshots.get(presence);
            if (!snapshot) snapshots.set(presence, (snapshot = emptySnapshot()));
            const signals = modelChanges(view, snapshot, resolveId, Date.now());
            count += signals.length;
            signals.forEach(sinks.signal);
          } catch {
            // Never let our reading break WhatsApp's own event dispatch.
          }
        }
        if (count) sinks.changes?.(count);
      };
      const schedule = (presence: object | undefined) => {
        if (!presence) return;
        if (!pending.size) queueMicrotask(flush);
        pending.add(presence);
      };
      // The Presence a changed Chatstate belongs to (as wa-js finds it).
      const ownerOf = (chatstate: object) => {
        const known = owners.get(chatstate);
        if (known) return known;
        const presence = (collection.getModelsArray?.() ?? []).find((model: any) => model?.chatstate === chatstate);
        if (presence) owners.set(chatstate, presence);
        return presence;
      };
      const onChatstate = (chatstate: unknown) => {
        if (chatstate && typeof chatstate === 'object') schedule(ownerOf(chatstate));
      };
      const onPresence = (presence: any) => {
        if (presence && typeof presence === 'object' && presence.chatstate) schedule(presence);
      };
      // clearAllPresence() sets isSubscribed false on every model (on going
      // unavailable, and on disconnects).
      const onSubscribed = (presence: any, value: unknown) => {
        if (value === false && presence?.chatstate) sinks.subscriptionsDropped?.();
      };
      // One name per call: not every event emitter splits names on spaces.
      CHATSTATE_EVENTS.forEach((name) => collection.on(name, onChatstate));
      PRESENCE_EVENTS.forEach((name) => collection.on(name, onPresence));
      collection.on('change:isSubscribed', onSubscribed);
      return () => {
        CHATSTATE_EVENTS.forEach((name) => collection.off?.(name, onChatstate));
        PRESENCE_EVENTS.forEach((name) => collection.off?.(name, onPresence));
        collection.off?.('change:isSubscribed', onSubscribed);
      };
    },
  };
}
