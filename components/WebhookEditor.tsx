import { useState } from 'preact/hooks';
import { ulid } from '../utils/ids/ulid';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/utils/messaging';
import { controlSettingsStorage, webhooksStorage } from '@/utils/storage';
import { controlPatternOf } from '@/utils/ui/control-form';
import type { WebhookConfig } from '@/utils/webhook/config';
import type { PostResult } from '@/utils/webhook/post';
import {
  EVENT_CHOICES, NEW_WEBHOOK_FORM, RETRY_POLICIES, formFromWebhook, permissionPattern, webhookFromForm,
  type WebhookErrors, type WebhookField, type WebhookForm,
} from '@/utils/ui/webhook-form';
import { unusedPermissions, upsertWebhook } from '@/utils/ui/webhook-list';
import { Field } from './Field';

type Notice = { tone: 'ok' | 'error'; text: string };

/** The host grant the control channel holds (one grant per host serves webhooks and the channel). */
const controlGrant = async () => controlPatternOf((await controlSettingsStorage.getValue()).url);

const EVENT_LABELS: Record<string, string> = { '*': 'All events' };

function testNotice(result: PostResult): Notice {
  if (result.ok) return { tone: 'ok', text: `Test event delivered: the backend answered ${result.status} in ${result.ms} ms.` };
  const status = result.status ? `answered ${result.status}` : 'did not answer';
  return { tone: 'error', text: `Test event failed: the backend ${status} after ${result.ms} ms${result.error ? ` (${result.error})` : ''}.` };
}

/**
 * One webhook's fields. Save = validate, ask for the host permission of that
 * URL (inside the click: browsers only prompt during a user gesture), and
 * only then write storage, so a refusal leaves nothing half-saved.
 */
export function WebhookEditor({ webhook, onClose }: { webhook: WebhookConfig | null; onClose(): void }) {
  // A new webhook gets its id once, so that saving twice does not add it twice.
  const [id] = useState(() => webhook?.id ?? ulid());
  const [form, setForm] = useState<WebhookForm>(() => (webhook ? formFromWebhook(webhook) : NEW_WEBHOOK_FORM));
  const [errors, setErrors] = useState<WebhookErrors>({});
  const [notice, setNotice] = useState<Notice>();
  const set = <K extends WebhookField>(field: K, value: WebhookForm[K]) => setForm((current) => ({ ...current, [field]: value }));

  /** Validates, then asks for the permission; resolves with the webhook only when both pass. */
  function checkAndAsk(): Promise<WebhookConfig | null> {
    const result = webhookFromForm(form, id);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) {
      setNotice({ tone: 'error', text: 'Nothing was saved or sent: see the fields marked.' });
      return Promise.resolve(null);
    }
    setNotice(undefined);
    const origin = result.url.origin;
    return browser.permissions.request({ origins: [permissionPattern(result.url)] }).then(
      (granted) => {
        if (granted) return result.webhook;
        setErrors({ url: `Permission to reach ${origin} was refused, so nothing was saved: the extension cannot post there without it.` });
        return null;
      },
      (error: Error) => {
        setErrors({ url: `Could not ask for permission to reach ${origin}: ${error.message}` });
        return null;
      },
    );
  }

  function save(event: Event) {
    event.preventDefault();
    void checkAndAsk().then(async (config) => {
      if (!config) return;
      const [before, control] = await Promise.all([webhooksStorage.getValue(), controlGrant()]);
      const after = upsertWebhook(before, config);
      await webhooksStorage.setValue(after);
      // A URL moved to another host: give back the permission nobody needs now (the control channel may still).
      const unused = unusedPermissions(before, after, [control]);
      if (unused.length) await browser.permissions.remove({ origins: unused }).catch(() => false);
      setNotice({ tone: 'ok', text: 'Saved.' });
    });
  }

  function sendTest() {
    void checkAndAsk().then(async (config) => {
      if (!config) return;
      setNotice({ tone: 'ok', text: 'Sending a test event…' });
      const result = await sendMessage('sendTestEvent', config).catch((error: Error) => ({ ok: false, status: 0, ms: 0, error: error.message }));
      setNotice(testNotice(result));
      // A test of a form not saved (yet) leaves no host grant behind that no saved webhook needs.
      const [saved, control] = await Promise.all([webhooksStorage.getValue(), controlGrant()]);
      const unused = unusedPermissions([config], saved, [control]);
      if (unused.length) await browser.permissions.remove({ origins: unused }).catch(() => false);
    });
  }

  const fieldId = (field: WebhookField) => `webhook-${id}-${field}`;
  return (
    <form class="editor" onSubmit={save} noValidate aria-label={webhook ? `Edit webhook ${webhook.url}` : 'New webhook'}>
      <Field id={fieldId('url')} label="Webhook URL" hint="https://…, or http:// to 127.0.0.1 / localhost." error={errors.url}>
        {(aria) => <input {...aria} type="url" value={form.url} placeholder="https://backend.example/webhook" onInput={(e) => set('url', e.currentTarget.value)} />}
      </Field>
      <Field id={fieldId('secret')} label="HMAC secret" hint="Signs every event (X-Webhook-Hmac, SHA-512). Leave empty not to sign." error={errors.secret}>
        {(aria) => <input {...aria} type="password" autocomplete="off" value={form.secret} onInput={(e) => set('secret', e.currentTarget.value)} />}
      </Field>
      <Field id={fieldId('events')} label="Events" error={errors.events}>
        {(aria) => (
          <select {...aria} multiple size={EVENT_CHOICES.length} onChange={(e) => set('events', Array.from(e.currentTarget.selectedOptions, (o) => o.value as WebhookForm['events'][number]))}>
            {EVENT_CHOICES.map((choice) => (
              <option key={choice} value={choice} selected={form.events.includes(choice)}>
                {EVENT_LABELS[choice] ?? choice}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={fieldId('format')} label="Format">
        {(aria) => (
          <select {...aria} value={form.format} onChange={(e) => set('format', e.currentTarget.value as WebhookForm['format'])}>
            <option value="waha">WAHA (one object per chat)</option>
            <option value="flat">Flat (one object per participant)</option>
          </select>
        )}
      </Field>
      <div class="field-row">
        <Field id={fieldId('policy')} label="Retry policy">
          {(aria) => (
            <select {...aria} value={form.policy} onChange={(e) => set('policy', e.currentTarget.value as WebhookForm['policy'])}>
              {RETRY_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {policy}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={fieldId('delay')} label="Retry delay" hint="Seconds." error={errors.delay}>
          {(aria) => <input {...aria} type="number" min={1} step={1} value={form.delay} onInput={(e) => set('delay', e.currentTarget.value)} />}
        </Field>
        <Field id={fieldId('attempts')} label="Retry attempts" hint="Retries after the first try." error={errors.attempts}>
          {(aria) => <input {...aria} type="number" min={0} step={1} value={form.attempts} onInput={(e) => set('attempts', e.currentTarget.value)} />}
        </Field>
      </div>
      <Field
        id={fieldId('foldAfter')}
        label="Fold after"
        hint="Milliseconds. When the backend falls behind, a presence change that waited this long behind a newer one of the same contact is sent inside it (listed under payload.folded). 0: send every change."
        error={errors.foldAfter}
      >
        {(aria) => <input {...aria} type="number" min={0} step={100} value={form.foldAfter} onInput={(e) => set('foldAfter', e.currentTarget.value)} />}
      </Field>
      <Field id={fieldId('headers')} label="Custom headers" hint="One per line: Name: value" error={errors.headers}>
        {(aria) => <textarea {...aria} rows={2} spellcheck={false} value={form.headers} onInput={(e) => set('headers', e.currentTarget.value)} />}
      </Field>
      <div class="row">
        <button type="submit" class="primary">
          Save
        </button>
        <button type="button" onClick={sendTest}>
          Send test event
        </button>
        <button type="button" class="link" onClick={onClose}>
          Close
        </button>
      </div>
      <p class={`notice ${notice?.tone ?? ''}`} role="status">
        {notice?.text}
      </p>
    </form>
  );
}
