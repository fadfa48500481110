import { describe, expect, it } from 'vitest';
import { extensionEnvironment } from '@/utils/background/environment';
import type { PresenceSignal } from '@/utils/presence/types';
import { buildEnvelope, newEventId } from '@/utils/webhook/envelope';
import { toFlatPresence, toWahaPresence } from '@/utils/webhook/waha-payload';

const signal: PresenceSignal = {
  chatId: '120363000000000001@g.us',
  participant: '15551110001@c.us',
  state: 'recording',
  lastSeen: null,
  at: 1_760_000_000_123,
  source: 'stanza',
};
const environment = extensionEnvironment('0.1.0');

describe('environment', () => {
  it("keeps WAHA's keys but sends neither the browser nor the platform", () => {
    expect(extensionEnvironment('0.1.0')).toEqual({ version: '0.1.0', engine: 'WEBJS', tier: 'CORE', browser: null, platform: null, worker: { id: null } });
  });
});

describe('WAHA presence payload', () => {
  it('is WAHAChatPresences with the one changed participant', () => {
    expect(toWahaPresence(signal)).toEqual({
      id: '120363000000000001@g.us',
      presences: [{ participant: '15551110001@c.us', lastKnownPresence: 'recording', lastSeen: null }],
    });
  });

  it('carries lastSeen in seconds for offline', () => {
    const offline = { ...signal, chatId: '15551110001@c.us', state: 'offline' as const, lastSeen: 1_759_999_000 };
    expect(toWahaPresence(offline).presences[0]).toEqual({
      participant: '15551110001@c.us',
      lastKnownPresence: 'offline',
      lastSeen: 1_759_999_000,
    });
  });

  it('adds the LID beside a phone id when it is known, in both forms (a WAHA consumer ignores it)', () => {
    const withLid = { ...signal, lid: '81110001@lid' };
    expect(toWahaPresence(withLid).presences[0]).toEqual({ participant: '15551110001@c.us', lastKnownPresence: 'recording', lastSeen: null, lid: '81110001@lid' });
    expect(toFlatPresence(withLid)).toEqual({ chatId: signal.chatId, type: 'recording', from: signal.participant, lid: '81110001@lid' });
  });

  it('carries conversation timing in both forms when the change has it', () => {
    const ended = { ...signal, state: 'paused' as const, activeSince: 1_760_000_000_000, activeMs: 4200 };
    expect(toWahaPresence(ended).presences[0]).toEqual({ participant: signal.participant, lastKnownPresence: 'paused', lastSeen: null, activeSince: 1_760_000_000_000, activeMs: 4200 });
    expect(toFlatPresence(ended)).toEqual({ chatId: signal.chatId, type: 'paused', from: signal.participant, activeSince: 1_760_000_000_000, activeMs: 4200 });
  });

  it('has a flat form with WhatsApp-style types', () => {
    expect(toFlatPresence(signal)).toEqual({ chatId: signal.chatId, type: 'recording', from: signal.participant });
    expect(toFlatPresence({ ...signal, state: 'typing' }).type).toBe('composing');
    expect(toFlatPresence({ ...signal, state: 'online' }).type).toBe('available');
    expect(toFlatPresence({ ...signal, state: 'offline' }).type).toBe('unavailable');
    expect(toFlatPresence({ ...signal, state: 'paused' }).type).toBe('paused');
  });
});

describe('envelope', () => {
  it('is the WAHA envelope with the event time in ms, session, metadata, me and environment', () => {
    const me = { id: '15550000001@c.us', pushName: 'Operator', lid: '90000000001@lid' };
    const envelope = buildEnvelope('presence.update', toWahaPresence(signal), signal.at, {
      session: 'default',
      metadata: { 'user.email': 'agent@example.org' },
      me,
      environment,
    });
    expect(envelope).toMatchObject({
      timestamp: signal.at,
      event: 'presence.update',
      session: 'default',
      metadata: { 'user.email': 'agent@example.org' },
      engine: 'WEBJS',
      me,
      environment,
    });
    expect(envelope.id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('leaves `me` out while the account is unknown', () => {
    const envelope = buildEnvelope('presence.update', {}, 1, { session: 's', metadata: {}, me: null, environment });
    expect('me' in envelope).toBe(false);
  });

  it('event ids are unique and sort by time', () => {
    const ids = Array.from({ length: 200 }, (_, i) => newEventId(1_760_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
