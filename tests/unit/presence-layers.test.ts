import { describe, expect, it } from 'vitest';
import { createLayerDedup } from '@/utils/page/layer-dedup';
import { chatstateChangeToSignal, chatstateTypeToState, onlineChangeToSignal } from '@/utils/page/model-to-signal';
import type { PresenceSignal } from '@/utils/presence/types';
import { wid } from './support/fake-whatsapp';

const ALICE = '15551110001@c.us';
const ALICE_LID = '81110001@lid';
const BOB_LID = '81110002@lid';
const GROUP = '120363000000000001@g.us';
const phones: Record<string, string> = { [ALICE_LID]: ALICE, [BOB_LID]: '15551110002@c.us' };
const resolve = (id: string) => phones[id] ?? id;

const signal = (overrides: Partial<PresenceSignal>): PresenceSignal => ({
  chatId: ALICE,
  participant: ALICE,
  state: 'online',
  lastSeen: null,
  at: 1,
  source: 'stanza',
  ...overrides,
});

describe('WhatsApp chatstate types → WAHA states', () => {
  it('maps each type, telling paused from online by what came before', () => {
    expect(chatstateTypeToState('typing', undefined, false)).toBe('typing');
    expect(chatstateTypeToState('recording_audio', 'available', false)).toBe('recording');
    expect(chatstateTypeToState('available', 'typing', false)).toBe('paused');
    expect(chatstateTypeToState('available', 'recording_audio', false)).toBe('paused');
    expect(chatstateTypeToState('available', 'unavailable', false)).toBe('online');
    expect(chatstateTypeToState('unavailable', 'available', false)).toBe('offline');
    // A group member has no online of their own: available ends their typing.
    expect(chatstateTypeToState('available', undefined, true)).toBe('paused');
    expect(chatstateTypeToState('unavailable', undefined, true)).toBeNull();
    expect(chatstateTypeToState('something_new', undefined, false)).toBeNull();
  });
});

describe('model changes → signals', () => {
  it('reports a 1:1 offline with the last seen, under the phone id of a LID-keyed presence', () => {
    const chatstate = { id: wid(ALICE_LID), type: 'unavailable', t: 1_700_000_000, deny: false };
    const presence = { id: wid(ALICE_LID), isOnline: false, chatstate };
    expect(chatstateChangeToSignal(presence, chatstate, 'available', false, resolve, 5)).toEqual({
      chatId: ALICE,
      participant: ALICE,
      state: 'offline',
      lastSeen: 1_700_000_000,
      at: 5,
      source: 'model',
    });
    // Hidden by privacy: no last seen, whatever `t` says.
    expect(chatstateChangeToSignal(presence, { ...chatstate, deny: true }, 'available', false, resolve, 5)?.lastSeen).toBeNull();
  });

  it("reports a group member's typing under the group id, with the member's phone id", () => {
    const member = { id: wid(BOB_LID), type: 'typing' };
    expect(chatstateChangeToSignal({ id: wid(GROUP) }, member, undefined, true, resolve, 7)).toMatchObject({
      chatId: GROUP,
      participant: '15551110002@c.us',
      state: 'typing',
    });
  });

  it('reads isOnline as online/offline, but says nothing new while the contact is typing', () => {
    const online = { id: wid(ALICE_LID), isOnline: true, chatstate: { type: 'available' } };
    expect(onlineChangeToSignal(online, resolve, 1)).toMatchObject({ chatId: ALICE, state: 'online' });
    expect(onlineChangeToSignal({ ...online, chatstate: { type: 'typing' } }, resolve, 1)).toBeNull();
    expect(onlineChangeToSignal({ id: wid(ALICE), isOnline: false, chatstate: { t: 1_700_000_001 } }, resolve, 1)).toMatchObject({
      state: 'offline',
      lastSeen: 1_700_000_001,
    });
    expect(onlineChangeToSignal({ id: wid(GROUP), isOnline: true }, resolve, 1)).toBeNull();
  });

  it('ignores models without a usable id', () => {
    expect(onlineChangeToSignal({ id: {}, isOnline: true }, resolve, 1)).toBeNull();
    expect(chatstateChangeToSignal({ id: 'nonsense' }, { type: 'typing' }, undefined, false, resolve, 1)).toBeNull();
  });
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
