import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { controlSettingsStorage, webhooksStorage, type ControlSettings } from '@/utils/storage';
import {
  controlFromForm, controlPermissionsToGiveBack, formFromControl, settingsAfterSave,
  type ControlErrors, type ControlField, type ControlForm,
} from '@/utils/ui/control-form';
import { Field } from './Field';

type Notice = { tone: 'ok' | 'error'; text: string };

/**
 * The control URL and key. Save = validate, ask for the host permission of
 * that URL (inside the click: browsers only prompt during a user gesture),
 * and only then write storage, so a refusal leaves the previous channel as it
 * was. An empty URL removes the channel.
 */
export function ControlChannelForm({ stored }: { stored: ControlSettings }) {
  const [form, setForm] = useState<ControlForm>(() => formFromControl(stored));
  const [errors, setErrors] = useState<ControlErrors>({});
  const [notice, setNotice] = useState<Notice>();
  const [keyShown, setKeyShown] = useState(false);
  const set = (field: ControlField, value: string) => setForm((current) => ({ ...current, [field]: value }));

  /** Resolves true when the host grant is there; otherwise says why next to the URL. */
  function askPermission(url: URL, pattern: string): Promise<boolean> {
    return browser.permissions.request({ origins: [pattern] }).then(
      (granted) => {
        if (!granted) {
          setErrors({ url: `Permission to reach ${url.origin} was refused, so nothing was saved: the extension cannot open the channel without it.` });
        }
        return granted;
      },
      (error: Error) => {
        setErrors({ url: `Could not ask for permission to reach ${url.origin}: ${error.message}` });
        return false;
      },
    );
  }

  function save(event: Event) {
    event.preventDefault();
    const result = controlFromForm(form);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) return setNotice({ tone: 'error', text: 'Nothing was saved: see the fields marked.' });
    setNotice(undefined);
    const { channel } = result;
    // Asked before any await, so the click still counts as the gesture the prompt needs.
    const granted = channel ? askPermission(channel.url, channel.pattern) : Promise.resolve(true);
    void granted.then(async (ok) => {
      if (!ok) return;
      const [before, webhooks] = await Promise.all([controlSettingsStorage.getValue(), webhooksStorage.getValue()]);
      const after = settingsAfterSave(before, channel);
      await controlSettingsStorage.setValue(after);
      // A channel removed or moved to another host: give back the grant unless a webhook posts there.
      const unused = controlPermissionsToGiveBack(before, after, webhooks);
      if (unused.length) await browser.permissions.remove({ origins: unused }).catch(() => false);
      setForm(formFromControl(after));
      setNotice(
        channel
          ? { tone: 'ok', text: 'Saved: the extension connects while WhatsApp Web is open.' }
          : { tone: 'ok', text: 'Removed: no control channel is opened.' },
      );
    });
  }

  return (
    <form onSubmit={save} noValidate aria-label="Control channel">
      <Field id="control-url" label="Control URL" hint="wss://…, or ws:// to 127.0.0.1 / localhost (npm run relay). Empty: no channel." error={errors.url}>
        {(aria) => <input {...aria} type="url" value={form.url} placeholder="wss://backend.example/control" onInput={(e) => set('url', e.currentTarget.value)} />}
      </Field>
      <Field
        id="control-key"
        label="Control key"
        hint="At least 16 characters, the same key your backend holds. It is never sent: the extension only proves it has it."
        error={errors.key}
      >
        {(aria) => (
          <div class="row">
            <input {...aria} type={keyShown ? 'text' : 'password'} autocomplete="off" spellcheck={false} value={form.key} onInput={(e) => set('key', e.currentTarget.value)} />
            <button type="button" aria-controls="control-key" onClick={() => setKeyShown(!keyShown)}>
              {keyShown ? 'Hide key' : 'Show key'}
            </button>
          </div>
        )}
      </Field>
      <div class="row">
        <button type="submit" class="primary">
          Save remote control
        </button>
        <p class={`notice ${notice?.tone ?? ''}`} role="status">
          {notice?.text}
        </p>
      </div>
    </form>
  );
}
