import { describe, expect, it, vi } from 'vitest';
import type { PresenceSignal } from '@/utils/presence/types';
import { createLayerDedup } from '@/utils/page/layer-dedup';
import { createLayerLiveness, QUIET_AFTER_MODEL_CHANGES } from '@/utils/page/layer-liveness';
import { presenceModelLayer } from '@/utils/page/model-layer';
import { emptySnapshot, modelChanges, type PresenceView } from '@/utils/page/model-to-signal';
import { createCapabilityRunner } from '@/utils/page/capabilities';
import { eventful, fakeWhatsApp, wid } from './support/fake-whatsapp';

const ALICE = '15551110001@c.us';
const ALICE_LID = '81110001@lid';
const BOB = '15551110002@c.us';
const BOB_LID = '81110002@lid';
const GROUP = '120363000000000001@g.us';
const AT = 1_760_000_000_000;
const resolve = (jid: string) => (jid === ALICE_LID ? ALICE : jid === BOB_LID ? BOB : jid);

// Shapes copied in structure from WhatsApp Web's WAWebPresenceModel (2025–2026
// builds): a 1:1 Presence keyed by the contact's LID with its own chatstate; a
// group Presence whose own chatstate is a summary {id: last typer or "", type}
// and whose members are in chatstates; reset() leaves hasData false.
const contact = (chatstate: PresenceView['chatstate'], extra: Partial<PresenceView> = {}): PresenceView => ({
  id: ALICE_LID,
  isGroup: false,
  hasData: true,
  isOnline: chatstate.type === 'available',
  chatstate,
  members: [],
  ...extra,
});
const groupOf = (members: Array<[string, string]>, summary: PresenceView['chatstate'] = { id: '', type: 'unavailable' }): PresenceView => ({
  id: GROUP,
  isGroup: true,
  hasData: true,
  isOnline: members.some(([, type]) => type === 'available'),
  chatstate: summary,
  members: members.map(([id, type]) => ({ id, type })),
});
const states = (signals: PresenceSignal[]) => signals.map((s) => [s.chatId, s.participant, s.state, s.lastSeen]);

describe("WhatsApp's Presence models → signals", () => {
  it('maps a contact’s chatstate types, telling paused from online by what came before', () => {
    const snapshot = emptySnapshot();
    const run = (cs: PresenceView['chatstate']) => states(modelChanges(contact(cs), snapshot, resolve, AT));
    expect(run({ id: ALICE_LID, type: 'available' })).toEqual([[ALICE, ALICE, 'online', null]]);
    expect(run({ id: ALICE_LID, type: 'typing' })).toEqual([[ALICE, ALICE, 'typing', null]]);
    expect(run({ id: ALICE_LID, type: 'recording_audio' })).toEqual([[ALICE, ALICE, 'recording', null]]);
    expect(run({ id: ALICE_LID, type: 'available' })).toEqual([[ALICE, ALICE, 'paused', null]]); // "idle" while online
    expect(run({ id: ALICE_LID, type: 'available' })).toEqual([]); // a repeat says nothing
    expect(run({ id: ALICE_LID, type: 'unavailable', t: 1_700_000_000 })).toEqual([[ALICE, ALICE, 'offline', 1_700_000_000]]);
    expect(run({ id: ALICE_LID, type: 'unavailable', t: 1_700_000_000 })).toEqual([]);
    expect(run({ id: ALICE_LID, type: 'unavailable', t: 1_700_000_500 })).toEqual([[ALICE, ALICE, 'offline', 1_700_000_500]]);
    // A chat state sets only {id, type}: the Chatstate keeps its t.
    expect(run({ id: ALICE_LID, type: 'typing', t: 1_700_000_500 })).toEqual([[ALICE, ALICE, 'typing', null]]);
    // "idle" while offline: unavailable with the same t is paused, not a new offline.
    expect(run({ id: ALICE_LID, type: 'unavailable', t: 1_700_000_500 })).toEqual([[ALICE, ALICE, 'paused', null]]);
    expect(run({ id: ALICE_LID, type: 'unavailable', t: 1_700_000_900, deny: true })).toEqual([[ALICE, ALICE, 'offline', null]]);
  });

  it('reports nothing for a reset model (disconnect, going unavailable), then the next real state again', () => {
    const snapshot = emptySnapshot();
    modelChanges(contact({ id: ALICE_LID, type: 'available' }), snapshot, resolve, AT);
    // Presence.reset(): hasData false, type unavailable, no t.
    expect(modelChanges(contact({ id: ALICE_LID, type: 'unavailable' }, { hasData: false }), snapshot, resolve, AT)).toEqual([]);
    expect(states(modelChanges(contact({ id: ALICE_LID, type: 'available' }), snapshot, resolve, AT))).toEqual([[ALICE, ALICE, 'online', null]]);
  });

  it('reads group members from chatstates, never the summary: two typing, one stopping', () => {
    const snapshot = emptySnapshot();
    const run = (members: Array<[string, string]>, summary?: PresenceView['chatstate']) => states(modelChanges(groupOf(members, summary), snapshot, resolve, AT));
    expect(run([[BOB_LID, 'typing']], { id: BOB_LID, type: 'typing' })).toEqual([[GROUP, BOB, 'typing', null]]);
    expect(run([[BOB_LID, 'typing'], [ALICE_LID, 'typing']], { id: ALICE_LID, type: 'typing' })).toEqual([[GROUP, ALICE, 'typing', null]]);
    // Bob paused: with nobody "available" in the group his type falls back to unavailable.
    expect(run([[BOB_LID, 'unavailable'], [ALICE_LID, 'typing']], { id: ALICE_LID, type: 'typing' })).toEqual([[GROUP, BOB, 'paused', null]]);
    expect(run([[BOB_LID, 'unavailable'], [ALICE_LID, 'recording_audio']])).toEqual([[GROUP, ALICE, 'recording', null]]);
    expect(run([[BOB_LID, 'unavailable'], [ALICE_LID, 'available']])).toEqual([[GROUP, ALICE, 'paused', null]]);
    // A member who was never active is not reported (members have no online of their own here).
    expect(run([[BOB_LID, 'unavailable'], [ALICE_LID, 'available'], ['81110003@lid', 'available']])).toEqual([]);
    // reset() marks every member unavailable with hasData false: nothing.
    expect(modelChanges({ ...groupOf([[BOB_LID, 'unavailable']]), hasData: false }, snapshot, resolve, AT)).toEqual([]);
  });
});

/** A PresenceCollection that re-fires its models' events, as WhatsApp's collections do. */
function presenceCollection() {
  const models: any[] = [];
  const collection = eventful({ getModelsArray: () => models, get: (id: unknown) => models.find((m) => m.id._serialized === String(id)) });
  const add = (id: string, chatstate: object, extra: object = {}) => {
    const model: any = { id: wid(id), hasData: true, isOnline: false, chatstate: { id: wid(id), ...chatstate }, chatstates: { getModelsArray: () => [] as any[] }, ...extra };
    models.push(model);
    return model;
  };
  return { collection, add };
}

describe('model layer on WhatsApp’s PresenceCollection', () => {
  it('reads a change once WhatsApp has set every attribute, and a group from its members', async () => {
    const { win } = fakeWhatsApp();
    const { collection, add } = presenceCollection();
    win.__d('WAWebPresenceCollection', [], { PresenceCollection: collection });
    const signals: PresenceSignal[] = [];
    const changes = vi.fn();
    const runner = createCapabilityRunner(win, [presenceModelLayer(resolve, { signal: (s) => signals.push(s), changes })], () => {});
    expect(runner.check()).toBe(0);

    const alice = add(ALICE_LID, { type: 'available' });
    // WhatsApp sets {id, type, deny, t} in that order: change:chatstate.type fires before t is set.
    alice.chatstate.type = 'unavailable';
    collection.trigger('change:chatstate.type', alice.chatstate, 'unavailable');
    alice.chatstate.t = 1_700_000_000;
    collection.trigger('change:chatstate.t', alice.chatstate, 1_700_000_000);
    await Promise.resolve();
    expect(states(signals)).toEqual([[ALICE, ALICE, 'offline', 1_700_000_000]]);

    const members = [{ id: wid(BOB_LID), type: 'typing' }];
    const group = add(GROUP, { id: '', type: 'typing' }, { chatstates: { getModelsArray: () => members } });
    collection.trigger('change:typingUserIds', group, [wid(BOB_LID)]);
    await Promise.resolve();
    expect(states(signals).at(-1)).toEqual([GROUP, BOB, 'typing', null]);
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('tells when WhatsApp dropped its subscriptions', () => {
    const { win } = fakeWhatsApp();
    const { collection, add } = presenceCollection();
    win.__d('WAWebPresenceCollection', [], { PresenceCollection: collection });
    const dropped = vi.fn();
    createCapabilityRunner(win, [presenceModelLayer(resolve, { signal: () => {}, subscriptionsDropped: dropped })], () => {}).check();
    const alice = add(ALICE_LID, { type: 'available' });
    collection.trigger('change:isSubscribed', alice, true);
    expect(dropped).not.toHaveBeenCalled();
    collection.trigger('change:isSubscribed', alice, false); // clearAllPresence()
    expect(dropped).toHaveBeenCalledOnce();
  });
});

describe('stanza tap liveness', () => {
  it('is quiet once the models changed several times without a presence stanza, and live again with the next', () => {
    const changes: string[] = [];
    const liveness = createLayerLiveness((status) => changes.push(status));
    liveness.modelChanged(QUIET_AFTER_MODEL_CHANGES); // not installed yet: says nothing
    liveness.arm();
    liveness.stanzaSeen();
    liveness.modelChanged(1);
    liveness.stanzaSeen(); // the stanza, then its model echo: live
    liveness.modelChanged(QUIET_AFTER_MODEL_CHANGES - 1);
    expect(changes).toEqual([]);
    liveness.modelChanged(1);
    expect(changes).toEqual(['quiet']);
    liveness.modelChanged(3);
    liveness.stanzaSeen();
    expect(changes).toEqual(['quiet', 'live']);
    expect(liveness.status).toBe('live');
  });
});

const signal = (overrides: Partial<PresenceSignal>): PresenceSignal => ({
  chatId: ALICE,
  participant: ALICE,
  state: 'online',
  lastSeen: null,
  at: 1,
  source: 'stanza',
  ...overrides,
});

describe('dedup between the stanza and model layers', () => {
  it('drops the model echo of what the stanza tap reported, and keeps what only the models saw', () => {
    const dedup = createLayerDedup();
    expect(dedup.admit(signal({ state: 'typing' }))).toBe(true);
    expect(dedup.admit(signal({ state: 'typing', source: 'model' }))).toBe(false);
    expect(dedup.admit(signal({ state: 'online', source: 'model' }))).toBe(false); // typing already says online
    expect(dedup.admit(signal({ state: 'paused' }))).toBe(true);
    expect(dedup.admit(signal({ state: 'paused', source: 'model' }))).toBe(false);
    expect(dedup.admit(signal({ state: 'offline', lastSeen: 10 }))).toBe(true); // the stanza is never dropped
    // Once the stanza tap has been quiet about a contact, what only the models saw is news.
    expect(dedup.admit(signal({ state: 'online', source: 'model', at: 20_000 }))).toBe(true);
    expect(dedup.admit(signal({ state: 'online', source: 'model', at: 20_001 }))).toBe(false);
  });

  it('drops echoes that arrive after newer stanzas for the same contact (a burst)', () => {
    const dedup = createLayerDedup();
    expect(dedup.admit(signal({ state: 'typing', at: 100 }))).toBe(true);
    expect(dedup.admit(signal({ state: 'paused', at: 101 }))).toBe(true);
    expect(dedup.admit(signal({ state: 'typing', source: 'model', at: 102 }))).toBe(false);
    expect(dedup.admit(signal({ state: 'paused', source: 'model', at: 103 }))).toBe(false);
    // Long after, a state from the models alone is news again (the stanza path missed it).
    expect(dedup.admit(signal({ state: 'typing', source: 'model', at: 20_000 }))).toBe(true);
  });

  it('drops the echo of a stanza for a contact first seen by the models (the tap came live later)', () => {
    const dedup = createLayerDedup();
    expect(dedup.admit(signal({ state: 'online', source: 'model', at: 100 }))).toBe(true);
    expect(dedup.admit(signal({ state: 'typing', at: 30_000 }))).toBe(true);
    expect(dedup.admit(signal({ state: 'typing', source: 'model', at: 30_001 }))).toBe(false);
    expect(dedup.admit(signal({ state: 'paused', source: 'model', at: 30_002 }))).toBe(false); // within the echo window of the stanza
  });

  it('keeps chats and participants apart', () => {
    const dedup = createLayerDedup();
    expect(dedup.admit(signal({ chatId: GROUP, participant: ALICE, state: 'typing' }))).toBe(true);
    expect(dedup.admit(signal({ state: 'typing', source: 'model' }))).toBe(true); // Alice in her own chat: no stanza there
    expect(dedup.admit(signal({ chatId: GROUP, participant: ALICE, state: 'typing', source: 'model' }))).toBe(false);
  });

  it('stays bounded on a page that reports an endless stream of ids', () => {
    const dedup = createLayerDedup();
    for (let i = 0; i < 12_000; i++) dedup.admit(signal({ chatId: `${i}@c.us`, participant: `${i}@c.us` }));
    expect(dedup.size).toBe(10_000);
  });
});
