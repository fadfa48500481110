import { useState } from 'preact/hooks';
import type { Behaviour } from '@/utils/behaviour';
import { behaviourStorage } from '@/utils/storage';
import { BEHAVIOUR_FIELDS, behaviourForm, behaviourFromForm, type BehaviourForm, type BehaviourNumberKey } from '@/utils/ui/settings-form';
import { Field } from './Field';
import { useStorageItem } from './hooks/use-storage-item';

const SCOPES: ReadonlyArray<{ value: Behaviour['forwardScope']; label: string }> = [
  { value: 'all', label: 'Every chat WhatsApp delivers presence for (as WAHA does)' },
  { value: 'followed', label: 'Only followed contacts and groups' },
];

/** Timeouts, the follow cap and what is forwarded. Applied by the background as soon as saved. */
export function BehaviourSection() {
  const stored = useStorageItem(behaviourStorage);
  return (
    <section class="card" aria-labelledby="behaviour-title">
      <h2 id="behaviour-title">Behaviour</h2>
      {stored && <BehaviourFormView stored={stored} />}
    </section>
  );
}

function BehaviourFormView({ stored }: { stored: Behaviour }) {
  const [form, setForm] = useState<BehaviourForm>(() => behaviourForm(stored));
  const [errors, setErrors] = useState<Partial<Record<BehaviourNumberKey, string>>>({});
  const [saved, setSaved] = useState<string>();

  async function save(event: Event) {
    event.preventDefault();
    // Fresh read: keeps what other pages changed in the fields this form does not show.
    const result = behaviourFromForm(form, await behaviourStorage.getValue());
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) return setSaved('Nothing was saved: see the fields marked.');
    await behaviourStorage.setValue(result.behaviour);
    setSaved('Saved.');
  }

  return (
    <form onSubmit={save} noValidate>
      <div class="field-grid">
        {BEHAVIOUR_FIELDS.map(({ key, label, min, max, hint }) => (
          <Field key={key} id={`behaviour-${key}`} label={label} hint={hint} error={errors[key]}>
            {(aria) => (
              <input {...aria} type="number" min={min} max={max} step={1} value={form[key]} onInput={(e) => setForm({ ...form, [key]: e.currentTarget.value })} />
            )}
          </Field>
        ))}
      </div>
      <fieldset>
        <legend>Forward presence for</legend>
        {SCOPES.map(({ value, label }) => (
          <label class="choice" key={value}>
            <input type="radio" name="forward-scope" value={value} checked={form.forwardScope === value} onChange={() => setForm({ ...form, forwardScope: value })} />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="row">
        <button type="submit" class="primary">
          Save behaviour
        </button>
        <p class="notice" role="status">
          {saved}
        </p>
      </div>
    </form>
  );
}
