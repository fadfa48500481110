import { useState } from 'preact/hooks';
import { sessionSettingsStorage, type SessionSettings } from '@/utils/storage';
import { metadataRows, sessionFromForm, type MetadataRow } from '@/utils/ui/settings-form';
import { Field } from './Field';
import { useStorageItem } from './hooks/use-storage-item';

/** WAHA's session name and the metadata sent in every envelope. */
export function SessionSection() {
  const stored = useStorageItem(sessionSettingsStorage);
  return (
    <section class="card" aria-labelledby="session-title">
      <h2 id="session-title">Session</h2>
      <p class="hint">Sent as "session" and "metadata" in every event, as WAHA does.</p>
      {stored && <SessionForm stored={stored} />}
    </section>
  );
}

function SessionForm({ stored }: { stored: SessionSettings }) {
  const [name, setName] = useState(stored.name);
  const [rows, setRows] = useState<MetadataRow[]>(() => metadataRows(stored.metadata));
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const setRow = (index: number, change: Partial<MetadataRow>) => setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  async function save(event: Event) {
    event.preventDefault();
    const parsed = sessionFromForm(name, rows);
    if (!parsed.ok) return setResult({ ok: false, text: parsed.error });
    await sessionSettingsStorage.setValue(parsed.settings);
    setRows(metadataRows(parsed.settings.metadata));
    setResult({ ok: true, text: 'Saved: the next events carry it.' });
  }

  return (
    <form onSubmit={save} noValidate>
      <Field id="session-name" label="Session name" hint='WAHA calls it "default" unless you run several.'>
        {(aria) => <input {...aria} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <fieldset>
        <legend>Metadata</legend>
        {rows.length === 0 && <p class="hint">No metadata. Teams often send who operates this browser, e.g. user.email.</p>}
        {rows.map((row, index) => (
          <div class="row metadata-row" key={index}>
            <input type="text" aria-label={`Metadata key ${index + 1}`} placeholder="key" value={row.key} onInput={(e) => setRow(index, { key: e.currentTarget.value })} />
            <input type="text" aria-label={`Metadata value ${index + 1}`} placeholder="value" value={row.value} onInput={(e) => setRow(index, { value: e.currentTarget.value })} />
            <button type="button" class="icon" aria-label={`Remove metadata ${index + 1}`} onClick={() => setRows(rows.filter((_, i) => i !== index))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows([...rows, { key: '', value: '' }])}>
          Add metadata
        </button>
      </fieldset>
      <div class="row">
        <button type="submit" class="primary">
          Save session
        </button>
        <p class={`notice ${result ? (result.ok ? 'ok' : 'error') : ''}`} role="status">
          {result?.text}
        </p>
      </div>
    </form>
  );
}
