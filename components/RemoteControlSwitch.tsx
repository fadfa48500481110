import { useState } from 'preact/hooks';
import { controlSettingsStorage } from '@/utils/storage';
import { useStorageItem } from './hooks/use-storage-item';

/**
 * The operator's switch for remote control, in the options page and the
 * popup: bound to the stored `enabled`, written at once (the background
 * watches it and refuses requests from then on). A checkbox with
 * role="switch", so it reads as acting immediately, not as a form field.
 */
export function RemoteControlSwitch({ label, id }: { label: string; id: string }) {
  const settings = useStorageItem(controlSettingsStorage);
  const [error, setError] = useState<string>();
  const noChannel = !settings?.url;

  async function setEnabled(enabled: boolean) {
    setError(undefined);
    try {
      // Fresh read: the options page may have saved a new URL or key since this one rendered.
      const current = await controlSettingsStorage.getValue();
      if (!current.url) return;
      await controlSettingsStorage.setValue({ ...current, enabled });
    } catch (failure) {
      setError(`Could not save the switch: ${(failure as Error)?.message ?? String(failure)}`);
    }
  }

  return (
    <>
      <label class={noChannel ? 'switch disabled' : 'switch'}>
        {/* The real checkbox lies, transparent, over a drawn track: pseudo-elements on inputs do not render in every browser. */}
        <span class="switch-control">
          <input
            type="checkbox"
            role="switch"
            checked={!!settings?.enabled}
            disabled={noChannel}
            aria-describedby={noChannel ? `${id}-hint` : undefined}
            onChange={(e) => void setEnabled(e.currentTarget.checked)}
          />
          <span class="switch-track" aria-hidden="true" />
        </span>
        <span>{label}</span>
      </label>
      {settings && noChannel && (
        <span id={`${id}-hint`} class="hint">
          Save a control URL first.
        </span>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
