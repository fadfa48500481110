import { checkControlUrl, controlPermissionPattern } from '@/utils/control/url';
import type { ControlSettings } from '@/utils/storage';
import { permissionPattern, type WebhookConfig } from '@/utils/webhook/config';

/**
 * The options page's remote-control fields as typed, checked before any
 * permission prompt or storage write (as webhooks are), so a bad form or a
 * refused prompt never leaves a half-configured channel behind.
 */
export interface ControlForm {
  url: string;
  key: string;
}

export type ControlField = keyof ControlForm;
export type ControlErrors = Partial<Record<ControlField, string>>;

/** Short keys can be guessed offline from one recorded handshake (HMAC of a known challenge). */
export const CONTROL_KEY_MIN_LENGTH = 16;

export function formFromControl(settings: ControlSettings): ControlForm {
  return { url: settings.url, key: settings.key };
}

/** What Save does: open a channel to `url` (after the host grant `pattern`), or, with `channel` null, remove it. */
export type ControlFormResult =
  | { ok: true; channel: { url: URL; key: string; pattern: string } | null }
  | { ok: false; errors: ControlErrors };

export function controlFromForm(form: ControlForm): ControlFormResult {
  if (!form.url.trim()) return { ok: true, channel: null };
  const errors: ControlErrors = {};
  const url = checkControlUrl(form.url);
  if (!url.ok) errors.url = capitalize(url.reason) + '.';
  // Pasted keys often carry a trailing newline or space the backend's copy does not have.
  const key = form.key.trim();
  if (!key) errors.key = 'A control URL needs its control key: paste the key your backend holds.';
  else if (key.length < CONTROL_KEY_MIN_LENGTH) {
    errors.key = `The control key has ${key.length} characters: it needs at least ${CONTROL_KEY_MIN_LENGTH}.`;
  }
  if (!url.ok || errors.key) return { ok: false, errors };
  return { ok: true, channel: { url: url.url, key, pattern: controlPermissionPattern(url.url) } };
}

/**
 * The settings to store after a successful Save. Keeps `enabled` as the
 * operator set it; removing the channel also forgets its key and switches
 * remote control off, so that a URL saved later starts off again.
 */
export function settingsAfterSave(current: ControlSettings, channel: { url: URL; key: string } | null): ControlSettings {
  if (!channel) return { url: '', key: '', enabled: false };
  return { ...current, url: channel.url.href, key: channel.key };
}

/** The host permission a stored control URL holds, or null when there is none (or it is not a valid URL any more). */
export function controlPatternOf(url: string): string | null {
  if (!url) return null;
  const check = checkControlUrl(url);
  return check.ok ? controlPermissionPattern(check.url) : null;
}

/** The control URL's grant when it moved or was removed and no webhook posts to that host (webhooks share the grant). */
export function controlPermissionsToGiveBack(before: ControlSettings, after: ControlSettings, webhooks: readonly WebhookConfig[]): string[] {
  const old = controlPatternOf(before.url);
  if (!old || old === controlPatternOf(after.url)) return [];
  const webhookPatterns = webhooks.map((webhook) => {
    try {
      return permissionPattern(new URL(webhook.url));
    } catch {
      return null;
    }
  });
  return webhookPatterns.includes(old) ? [] : [old];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
