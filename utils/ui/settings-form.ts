import type { Behaviour } from '@/utils/behaviour';
import type { SessionSettings } from '@/utils/storage';

/**
 * The options page's session and behaviour sections: fields as typed, checked
 * and converted before anything is stored.
 */

export interface MetadataRow {
  key: string;
  value: string;
}

export function metadataRows(metadata: Record<string, string>): MetadataRow[] {
  return Object.entries(metadata).map(([key, value]) => ({ key, value }));
}

export type SessionResult = { ok: true; settings: SessionSettings } | { ok: false; error: string };

/** Empty rows are dropped; a value without a key, or a key twice, is refused. */
export function sessionFromForm(name: string, rows: readonly MetadataRow[]): SessionResult {
  const session = name.trim();
  if (!session) return { ok: false, error: 'The session name cannot be empty (WAHA uses "default").' };
  const metadata: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value.trim()) continue;
    if (!key) return { ok: false, error: `The value "${row.value}" has no key.` };
    if (key in metadata) return { ok: false, error: `The key "${key}" appears twice.` };
    metadata[key] = row.value;
  }
  return { ok: true, settings: { name: session, metadata } };
}

/** The behaviour fields the options page edits, with their bounds and units. */
export const BEHAVIOUR_FIELDS = [
  { key: 'typingTimeoutSeconds', label: 'Typing timeout (seconds)', min: 5, max: 120,
    hint: 'Typing or recording with no fresh signal for this long is sent as paused.' },
  { key: 'heldOnlineMinutes', label: 'Held-online expiry (minutes)', min: 1, max: 240,
    hint: 'An "Online" you set is switched off after this long (your phone gets no notifications meanwhile).' },
  { key: 'chatStateHoldSeconds', label: 'Chat-state hold (seconds)', min: 5, max: 600,
    hint: 'Typing or recording you set is renewed this long, then paused.' },
  { key: 'followCap', label: 'Follow cap', min: 1, max: 200,
    hint: 'At most this many followed contacts: mass subscription looks like automation to WhatsApp.' },
  { key: 'presenceRetentionHours', label: 'Presence kept (hours)', min: 1, max: 168,
    hint: 'A chat not seen for this long is forgotten (followed ones are kept while the tab is open).' },
] as const satisfies ReadonlyArray<{ key: keyof Behaviour; label: string; min: number; max: number; hint: string }>;

export type BehaviourNumberKey = (typeof BEHAVIOUR_FIELDS)[number]['key'];
export type BehaviourForm = Record<BehaviourNumberKey, string> & { forwardScope: Behaviour['forwardScope'] };

export function behaviourForm(behaviour: Behaviour): BehaviourForm {
  const form = { forwardScope: behaviour.forwardScope } as BehaviourForm;
  for (const field of BEHAVIOUR_FIELDS) form[field.key] = String(behaviour[field.key]);
  return form;
}

export type BehaviourResult = { ok: true; behaviour: Behaviour } | { ok: false; errors: Partial<Record<BehaviourNumberKey, string>> };

/** Keeps the settings this page does not edit (the outbox limit) as they are. */
export function behaviourFromForm(form: BehaviourForm, current: Behaviour): BehaviourResult {
  const next: Behaviour = { ...current, forwardScope: form.forwardScope };
  const errors: Partial<Record<BehaviourNumberKey, string>> = {};
  for (const { key, label, min, max } of BEHAVIOUR_FIELDS) {
    const value = Number(form[key].trim());
    if (!form[key].trim() || !Number.isInteger(value) || value < min || value > max) {
      errors[key] = `${label.replace(/ \(.*\)$/, '')}: a whole number from ${min} to ${max}.`;
    } else next[key] = value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, behaviour: next };
}
