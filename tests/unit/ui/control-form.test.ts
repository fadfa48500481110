import { describe, expect, it } from 'vitest';
import type { ControlSettings } from '@/utils/storage';
import type { WebhookConfig } from '@/utils/webhook/config';
import { controlFromForm, controlPatternOf, controlPermissionsToGiveBack, formFromControl, settingsAfterSave } from '@/utils/ui/control-form';

const KEY = 'k'.repeat(16);
const saved: ControlSettings = { url: 'wss://relay.example/control', key: KEY, enabled: true };
const webhook = (url: string): WebhookConfig => ({ id: url, url, events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 1, attempts: 1 } });

describe('control form', () => {
  it('accepts a wss:// URL or a local ws:// one, with the host grant to ask for', () => {
    const result = controlFromForm({ url: ' wss://relay.example/control ', key: `${KEY}\n` });
    expect(result).toMatchObject({ ok: true, channel: { key: KEY, pattern: 'https://relay.example/*' } });
    expect(result.ok && result.channel?.url.href).toBe('wss://relay.example/control');
    expect(controlFromForm({ url: 'ws://127.0.0.1:8788/control', key: KEY })).toMatchObject({ ok: true, channel: { pattern: 'http://127.0.0.1/*' } });
  });

  it('explains a bad URL and a missing or short key, field by field', () => {
    expect(controlFromForm({ url: 'ws://relay.example/control', key: KEY })).toEqual({
      ok: false,
      errors: { url: 'Plain ws:// is only allowed to this machine (127.0.0.1 or localhost); use wss:// for relay.example.' },
    });
    expect(controlFromForm({ url: 'https://relay.example/c', key: '' })).toEqual({
      ok: false,
      errors: {
        url: 'The control URL is a WebSocket: write wss://relay.example/c.',
        key: 'A control URL needs its control key: paste the key your backend holds.',
      },
    });
    expect(controlFromForm({ url: saved.url, key: ' short key ' })).toEqual({
      ok: false,
      errors: { key: 'The control key has 9 characters: it needs at least 16.' },
    });
  });

  it('reads an empty URL as removing the channel, whatever the key says', () => {
    expect(controlFromForm({ url: '  ', key: 'anything' })).toEqual({ ok: true, channel: null });
    expect(settingsAfterSave(saved, null)).toEqual({ url: '', key: '', enabled: false });
  });

  it('keeps the switch as the operator set it when URL or key change', () => {
    const result = controlFromForm({ url: 'wss://other.example/c', key: KEY });
    expect(result.ok && settingsAfterSave(saved, result.channel)).toEqual({ url: 'wss://other.example/c', key: KEY, enabled: true });
    expect(formFromControl(saved)).toEqual({ url: saved.url, key: KEY });
  });

  it('gives back the old host grant only when nothing else uses it', () => {
    const removed = settingsAfterSave(saved, null);
    expect(controlPermissionsToGiveBack(saved, removed, [])).toEqual(['https://relay.example/*']);
    // A webhook posts to the same host: one grant serves both.
    expect(controlPermissionsToGiveBack(saved, removed, [webhook('https://relay.example/hook')])).toEqual([]);
    // Same host, another path: still needed.
    expect(controlPermissionsToGiveBack(saved, { ...saved, url: 'wss://relay.example/v2' }, [])).toEqual([]);
    expect(controlPermissionsToGiveBack(saved, { ...saved, url: 'wss://other.example/c' }, [webhook('not a url')])).toEqual(['https://relay.example/*']);
    expect(controlPermissionsToGiveBack(removed, saved, [])).toEqual([]);
  });

  it('names the grant a stored URL holds', () => {
    expect(controlPatternOf('wss://relay.example/control')).toBe('https://relay.example/*');
    expect(controlPatternOf('ws://localhost:9/c')).toBe('http://localhost/*');
    expect(controlPatternOf('')).toBeNull();
    expect(controlPatternOf('garbage')).toBeNull();
  });
});
