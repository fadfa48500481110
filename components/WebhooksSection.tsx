import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { controlSettingsStorage, webhooksStorage } from '@/utils/storage';
import { controlPatternOf } from '@/utils/ui/control-form';
import type { WebhookConfig } from '@/utils/webhook/config';
import { unusedPermissions, webhookSummary } from '@/utils/ui/webhook-list';
import { WebhookEditor } from './WebhookEditor';
import { useStorageItem } from './hooks/use-storage-item';

/** The team's webhooks: a list to edit and remove from, and one editor open at a time. */
export function WebhooksSection() {
  const webhooks = useStorageItem(webhooksStorage);
  /** The id being edited, 'new' for a webhook not saved yet, null when the editor is closed. */
  const [editing, setEditing] = useState<string | null>(null);

  // Nothing configured yet: start with the editor open, that is what the page is for.
  const empty = webhooks?.length === 0;
  useEffect(() => {
    if (empty) setEditing((current) => current ?? 'new');
  }, [empty]);

  async function remove(webhook: WebhookConfig) {
    const [before, control] = await Promise.all([webhooksStorage.getValue(), controlSettingsStorage.getValue()]);
    const after = before.filter((entry) => entry.id !== webhook.id);
    await webhooksStorage.setValue(after);
    if (editing === webhook.id) setEditing(null);
    // The control channel may hold the same host's grant: it keeps it.
    const unused = unusedPermissions(before, after, [controlPatternOf(control.url)]);
    // Required permissions (the test build's loopback) cannot be removed; that is fine.
    if (unused.length) await browser.permissions.remove({ origins: unused }).catch(() => false);
  }

  const edited = webhooks?.find((webhook) => webhook.id === editing) ?? null;
  return (
    <section class="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p class="hint">Every presence change and session status is posted to each webhook that wants the event.</p>
      {webhooks && webhooks.length > 0 && (
        <ul class="webhook-list" aria-label="Configured webhooks">
          {webhooks.map((webhook) => (
            <li key={webhook.id} class={webhook.id === editing ? 'selected' : undefined}>
              <span class="webhook-url">{webhook.url}</span>
              <span class="hint">{webhookSummary(webhook)}</span>
              <span class="row">
                <button type="button" aria-label={`Edit ${webhook.url}`} onClick={() => setEditing(webhook.id)}>
                  Edit
                </button>
                <button type="button" class="danger" aria-label={`Remove ${webhook.url}`} onClick={() => void remove(webhook)}>
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {editing === null ? (
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Add webhook
        </button>
      ) : (
        // Keyed: switching webhooks starts a fresh form instead of keeping the previous one's fields.
        <WebhookEditor key={editing} webhook={editing === 'new' ? null : edited} onClose={() => setEditing(null)} />
      )}
    </section>
  );
}
