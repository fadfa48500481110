import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PRESENCE_STATES } from '@/utils/presence/types';
import { MAX_BATCH, SIGNAL_SOURCES } from '@/utils/protocol/page-channel';
import {
  incomingMessageSchema,
  parsePageBatch,
  parsePageMessage,
  presenceSignalSchema,
  readMessageItem,
  readPresenceItem,
} from '@/utils/protocol/page-messages';

const signal = {
  chatId: '15551110001@c.us',
  participant: '15551110001@c.us',
  state: 'typing',
  lastSeen: null,
  at: 1_760_000_000_000,
  source: 'stanza',
};

describe('parsePageMessage (the page world is untrusted)', () => {
  it('accepts messages that fit the protocol', () => {
    expect(parsePageMessage({ kind: 'presence', signal })).toEqual({ ok: true, message: { kind: 'presence', signal } });
    expect(
      parsePageMessage({ kind: 'session', state: 'connected', me: { id: '15550000001@c.us', pushName: 'Op' }, version: '2.3000.1' }).ok,
    ).toBe(true);
  });

  it('drops what does not fit, with a reason naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'presence', signal: { ...signal, state: 'dancing' } }, 'signal.state'],
      [{ kind: 'presence', signal: { ...signal, chatId: 'javascript:alert(1)' } }, 'signal.chatId'],
      [{ kind: 'presence', signal: { ...signal, chatId: `${'1'.repeat(200)}@c.us` } }, 'signal.chatId'],
      [{ kind: 'presence', signal: { ...signal, at: 'now' } }, 'signal.at'],
      [{ kind: 'presence', signal: { ...signal, lastSeen: -5 } }, 'signal.lastSeen'],
      [{ kind: 'settings', webhook: 'https://evil.example' }, 'kind'],
      [{ kind: 'hook', capability: 'stanzaTap', status: 'live', version: 'x'.repeat(100) }, 'version'],
      ['presence', 'message'],
      [null, 'message'],
    ];
    for (const [data, where] of cases) {
      const parsed = parsePageMessage(data);
      expect(parsed.ok, JSON.stringify(data)).toBe(false);
      if (!parsed.ok) expect(parsed.reason.startsWith(where), parsed.reason).toBe(true);
    }
  });
});

describe('parsePageBatch (a port message is a batch, or one message; each item on its own)', () => {
  /** A presence item as the page writes it (participant null in a 1:1 chat, state and source as indices, -1 for none, lid null when none). */
  const item = (s: Record<string, unknown>) => [
    0,
    s.chatId,
    s.participant === s.chatId ? null : s.participant,
    (PRESENCE_STATES as readonly unknown[]).indexOf(s.state),
    s.lastSeen,
    s.at,
    (SIGNAL_SOURCES as readonly unknown[]).indexOf(s.source),
    'lid' in s ? s.lid : null,
  ];

  it('passes the good items in order and drops only the bad ones, each with its reason', () => {
    const batch = [
      ...item(signal),
      ...item({ ...signal, chatId: 'evil"<b>@c.us', participant: 'evil"<b>@c.us' }),
      ...[1, '120363000000000001@g.us', '15551110001@c.us', 1_760_000_000_001, null, null, null, null],
      ...[7, 1, 2, 3, 4, 5, 6, 7],
      ...item({ ...signal, state: 'paused', at: 1_760_000_000_002 }),
      ...item({ ...signal, at: 'now' }),
      ...[1, '15551110001@c.us', null, 1_760_000_000_003, null, null, null, null],
    ];
    const parsed = parsePageBatch(batch);
    expect(parsed.messages).toEqual([
      { kind: 'presence', signal },
      { kind: 'message', message: { chatId: '120363000000000001@g.us', participant: '15551110001@c.us', at: 1_760_000_000_001 } },
      { kind: 'presence', signal: { ...signal, state: 'paused', at: 1_760_000_000_002 } },
      { kind: 'message', message: { chatId: '15551110001@c.us', participant: '15551110001@c.us', at: 1_760_000_000_003 } },
    ]);
    expect(parsed.dropped).toEqual(['1: signal.chatId: not a WhatsApp id', '3: not an item of a batch', expect.stringMatching(/^5: signal\.at: /)]);
    expect(parsed.size).toBe(7);
  });

  it(`reads at most ${MAX_BATCH} items, says what it did not read, and takes a single message through the schemas`, () => {
    const parsed = parsePageBatch(Array.from({ length: MAX_BATCH + 1 }, () => item(signal)).flat());
    expect(parsed.messages).toHaveLength(MAX_BATCH);
    expect(parsed.dropped).toEqual([`${MAX_BATCH}–${MAX_BATCH}: 1 items not read (past the batch limit of ${MAX_BATCH})`]);
    expect(parsePageBatch([...item(signal), 0, 'x']).dropped).toEqual(['1–1: 1 items not read (incomplete)']);

    expect(parsePageBatch({ kind: 'presence', signal })).toEqual({ messages: [{ kind: 'presence', signal }], dropped: [], size: 1 });
    expect(parsePageBatch({ kind: 'presence', signal: { ...signal, chatId: 'x' } }).dropped).toEqual([expect.stringMatching(/^signal\.chatId: /)]);
    for (const data of ['p', null, undefined, 7]) expect(parsePageBatch(data)).toEqual({ messages: [], dropped: [expect.stringMatching(/^message: /)], size: 1 });
  });

  // The hand-written checks of the hot items must take exactly what the
  // schemas take (the background checks the same signals with the schema: one
  // it refused would cost the whole message to it).
  it('takes exactly the presence signals and messages the schemas take, field by field', () => {
    const ids: unknown[] = ['15551110001@c.us', '120363000000000001@g.us', '81110001@lid', '1:2@lid', 'status@broadcast', '1@newsletter', 'a.b_c-d@c.us',
      '', '@c.us', '1@s.whatsapp.net', '1@C.US', ' 1@c.us', '1@c.us\n', 'evil"<b>@c.us', `${'1'.repeat(123)}@c.us`, `${'1'.repeat(124)}@c.us`, 12, {}, ['1@c.us']];
    const numbers: unknown[] = [1, 2, 1_760_000_000_000, Number.MAX_SAFE_INTEGER, 2 ** 60, 0, -1, 1.5, NaN, Infinity, -Infinity, '5', null, undefined, true];
    const variants: Array<Record<string, unknown>> = [];
    for (const id of ids) variants.push({ chatId: id, participant: id }, { participant: id }, { lid: id });
    variants.push({ chatId: null, participant: null });
    for (const state of ['online', 'offline', 'typing', 'recording', 'paused', 'Typing', 'composing', '', null, 0]) variants.push({ state });
    for (const n of numbers) variants.push({ lastSeen: n }, { at: n });
    for (const source of ['stanza', 'model', 'Stanza', '', null]) variants.push({ source });
    let accepted = 0;
    for (const change of variants) {
      const candidate = { ...signal, ...change };
      const bySchema = v.safeParse(presenceSignalSchema, candidate);
      const byHand = readPresenceItem(item(candidate), 0);
      expect(typeof byHand !== 'string', JSON.stringify(change)).toBe(bySchema.success);
      if (bySchema.success) {
        expect(byHand).toEqual(bySchema.output);
        accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(20);
    // A state or source slot is an index, exactly.
    for (const slot of [-1, 5, 1.5, NaN, '2', null, true]) {
      const bad = item(signal);
      bad[3] = slot;
      expect(readPresenceItem(bad, 0), String(slot)).toBe('signal.state: not a presence state');
      const badSource = item(signal);
      badSource[6] = slot === 5 ? 2 : slot;
      expect(readPresenceItem(badSource, 0), String(slot)).toBe('signal.source: not stanza or model');
    }

    for (const chatId of ids) {
      for (const participant of ['15551110001@c.us', chatId]) {
        for (const at of numbers.slice(0, 9)) {
          const candidate = { chatId, participant, at };
          const bySchema = v.safeParse(incomingMessageSchema, candidate);
          const byHand = readMessageItem([1, chatId, participant === chatId ? null : participant, at, null, null, null, null], 0);
          expect(typeof byHand !== 'string', JSON.stringify(candidate)).toBe(bySchema.success);
          if (bySchema.success) expect(byHand).toEqual(bySchema.output);
        }
      }
    }
  });
});
