// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsPage } from '@/components/OptionsPage';
import { DEFAULT_FOLD_AFTER_MS } from '@/utils/outbox/folding';
import type { DeadLetter } from '@/utils/outbox/types';
import { DEFAULT_BEHAVIOUR } from '@/utils/behaviour';
import { behaviourStorage, deadLettersStorage, sessionSettingsStorage, webhooksStorage } from '@/utils/storage';
import type { WebhookConfig } from '@/utils/webhook/config';
import { answerMessages, type Answers } from './messages';

vi.mock('@/utils/messaging', () => ({ sendMessage: vi.fn() }));

const RECEIVER = 'http://127.0.0.1:8787/webhook';
const saved: WebhookConfig = {
  id: 'w1',
  url: 'https://hooks.example.org/waha',
  events: ['*'],
  format: 'waha',
  headers: [],
  retries: { policy: 'constant', delaySeconds: 1, attempts: 3 },
};

let sent: ReturnType<typeof answerMessages>;
const answer = (extra: Answers = {}) => (sent = answerMessages({ getDeadLetters: () => [], ...extra }));
let request: ReturnType<typeof vi.fn>;
let remove: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fakeBrowser.reset();
  answer();
  request = vi.fn(async () => true);
  remove = vi.fn(async () => true);
  // The fake browser has no permissions API.
  Object.assign(fakeBrowser.permissions, { request, remove });
});
afterEach(cleanup);

const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const type = (name: string, value: string) => fireEvent.input(field(name), { target: { value } });
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('webhooks', () => {
  it('starts with an empty editor that has every field by its name', async () => {
    render(<OptionsPage />);
    await screen.findByLabelText('Webhook URL');
    for (const name of ['HMAC secret', 'Events', 'Format', 'Retry policy', 'Retry delay', 'Retry attempts', 'Custom headers']) {
      expect(screen.getByLabelText(name)).toBeTruthy();
    }
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send test event' })).toBeTruthy();
  });

  it('saves only after the permission for that host is granted', async () => {
    render(<OptionsPage />);
    await screen.findByLabelText('Webhook URL');
    type('Webhook URL', RECEIVER);
    type('HMAC secret', 's3cret');
    fireEvent.change(field('Format'), { target: { value: 'flat' } });
    fireEvent.change(field('Retry policy'), { target: { value: 'linear' } });
    type('Retry delay', '3');
    type('Retry attempts', '4');
    type('Fold after', '750');
    type('Custom headers', 'Authorization: Bearer t');
    const events = field('Events') as unknown as HTMLSelectElement;
    for (const option of events.options) option.selected = option.value === 'presence.update';
    fireEvent.change(events);
    click('Save');

    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    const [webhook] = await webhooksStorage.getValue();
    expect(webhook).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      url: RECEIVER,
      events: ['presence.update'],
      format: 'flat',
      hmacKey: 's3cret',
      headers: [{ name: 'Authorization', value: 'Bearer t' }],
      retries: { policy: 'linear', delaySeconds: 3, attempts: 4 },
      foldAfterMs: 750,
    });

    // Saving again updates the same webhook instead of adding a second one.
    type('Retry attempts', '6');
    click('Save');
    await waitFor(async () => expect((await webhooksStorage.getValue()).map((w) => [w.id, w.retries.attempts])).toEqual([[webhook!.id, 6]]));
  });

  it('leaves nothing saved when the permission is refused, and says why next to the URL', async () => {
    request.mockResolvedValue(false);
    render(<OptionsPage />);
    await screen.findByLabelText('Webhook URL');
    type('Webhook URL', 'https://hooks.example.org/h');
    click('Save');
    const error = await screen.findByText(/^Permission to reach https:\/\/hooks\.example\.org was refused, so nothing was saved/);
    expect(field('Webhook URL').getAttribute('aria-describedby')).toContain(error.id);
    expect(field('Webhook URL').getAttribute('aria-invalid')).toBe('true');
    expect(await webhooksStorage.getValue()).toEqual([]);
  });

  it('explains a bad URL without asking for any permission', async () => {
    render(<OptionsPage />);
    await screen.findByLabelText('Webhook URL');
    type('Webhook URL', 'http://backend.example/h');
    type('Retry attempts', '-1');
    click('Save');
    expect(await screen.findByText(/^Plain http is only allowed to this machine/)).toBeTruthy();
    expect(screen.getByText('Retry attempts is a whole number from 0 to 50.')).toBeTruthy();
    expect(request).not.toHaveBeenCalled();
    expect(await webhooksStorage.getValue()).toEqual([]);
  });

  it("sends a test event with the form's webhook and shows the backend's answer", async () => {
    answer({ sendTestEvent: () => ({ ok: true, status: 200, ms: 12 }) });
    render(<OptionsPage />);
    await screen.findByLabelText('Webhook URL');
    type('Webhook URL', RECEIVER);
    click('Send test event');
    expect(await screen.findByText('Test event delivered: the backend answered 200 in 12 ms.')).toBeTruthy();
    expect(sent('sendTestEvent')).toEqual([expect.objectContaining({ url: RECEIVER, events: ['*'] })]);
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    // Nothing was saved: the grant asked for the test is given back.
    await waitFor(() => expect(remove).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] }));

    answer({ sendTestEvent: () => ({ ok: false, status: 401, ms: 5, error: 'backend answered 401 Unauthorized' }) });
    click('Send test event');
    expect(await screen.findByText('Test event failed: the backend answered 401 after 5 ms (backend answered 401 Unauthorized).')).toBeTruthy();
  });

  it('edits and removes saved webhooks, giving back a host permission nobody needs', async () => {
    await webhooksStorage.setValue([saved, { ...saved, id: 'w2', url: RECEIVER }]);
    render(<OptionsPage />);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${saved.url}` }));
    await waitFor(() => expect(field('Webhook URL').value).toBe(saved.url));
    fireEvent.change(field('Format'), { target: { value: 'flat' } });
    click('Save');
    // Saved before folding existed: it gets the default.
    await waitFor(async () => expect((await webhooksStorage.getValue())[0]).toEqual({ ...saved, format: 'flat', foldAfterMs: DEFAULT_FOLD_AFTER_MS }));

    click(`Remove ${saved.url}`);
    await waitFor(async () => expect((await webhooksStorage.getValue()).map((w) => w.id)).toEqual(['w2']));
    expect(remove).toHaveBeenCalledWith({ origins: ['https://hooks.example.org/*'] });
    const list = screen.getByRole('list', { name: 'Configured webhooks' });
    expect(within(list).queryByText(saved.url)).toBeNull();
  });
});

describe('session and behaviour', () => {
  it('saves the session name and metadata pairs', async () => {
    render(<OptionsPage />);
    await waitFor(() => expect(field('Session name').value).toBe('default'));
    type('Session name', 'sales');
    click('Add metadata');
    type('Metadata key 1', 'user.email');
    type('Metadata value 1', 'op@example.org');
    click('Save session');
    await waitFor(async () => expect(await sessionSettingsStorage.getValue()).toEqual({ name: 'sales', metadata: { 'user.email': 'op@example.org' } }));
  });

  it('saves behaviour within bounds and refuses the rest', async () => {
    render(<OptionsPage />);
    await waitFor(() => expect(field('Follow cap').value).toBe('50'));
    type('Follow cap', '500');
    click('Save behaviour');
    expect(await screen.findByText('Follow cap: a whole number from 1 to 200.')).toBeTruthy();
    expect(await behaviourStorage.getValue()).toEqual(DEFAULT_BEHAVIOUR);

    type('Follow cap', '20');
    type('Held-online expiry (minutes)', '30');
    fireEvent.click(screen.getByRole('radio', { name: 'Only followed contacts and groups' }));
    click('Save behaviour');
    await waitFor(async () =>
      expect(await behaviourStorage.getValue()).toEqual({ ...DEFAULT_BEHAVIOUR, followCap: 20, heldOnlineMinutes: 30, forwardScope: 'followed' }),
    );
  });
});

describe('dead letters and privacy', () => {
  const letter: DeadLetter = {
    seq: '01', webhookId: 'w1', lane: '15551110001@c.us', eventId: 'evt_1', event: 'presence.update', body: '{}',
    attempts: 1, nextAttemptAt: 0, createdAt: 0, reason: 'backend answered 400 Bad Request', failedAt: Date.now(),
  };

  it('lists dead letters with their reason, and retries or clears them', async () => {
    await webhooksStorage.setValue([saved]);
    answer({ getDeadLetters: () => [letter], retryDeadLetters: () => 1, clearDeadLetters: () => undefined });
    render(<OptionsPage />);
    const list = await screen.findByRole('list', { name: 'Dead letters' });
    expect(within(list).getByText('backend answered 400 Bad Request')).toBeTruthy();
    await waitFor(() => expect(list.textContent).toContain(`presence.update for +15551110001 to ${saved.url}`));
    click('Retry');
    expect(await screen.findByText('Put 1 event(s) back in the outbox.')).toBeTruthy();
    click('Clear');
    expect(await screen.findByText('Dead letters cleared.')).toBeTruthy();
    expect(sent('clearDeadLetters')).toHaveLength(1);

    // The list follows the stored dead letters live.
    await deadLettersStorage.setValue([]);
    expect(await screen.findByText('None.')).toBeTruthy();
  });

  it('clears all stored state after a confirmation', async () => {
    answer({ clearAllState: () => undefined });
    render(<OptionsPage />);
    click('Clear all stored state');
    expect(sent('clearAllState')).toEqual([]);
    click('Yes, clear it');
    expect(await screen.findByText(/^Cleared: /)).toBeTruthy();
    expect(sent('clearAllState')).toHaveLength(1);
  });

  it('links to the privacy policy bundled in the extension (works offline, in a store build)', () => {
    answer();
    render(<OptionsPage />);
    const link = screen.getByRole('link', { name: 'Privacy policy' });
    expect(link.getAttribute('href')).toBe('/privacy.html');
    expect(link.getAttribute('target')).toBe('_blank');
  });
});
