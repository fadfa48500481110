import { controlHistoryStorage, controlSettingsStorage, controlStatusStorage } from '@/utils/storage';
import { lastPresenceChange, remoteLastWording } from '@/utils/ui/control-wording';
import { RemoteControlSwitch } from './RemoteControlSwitch';
import { useNow } from './hooks/use-now';
import { useStorageItem } from './hooks/use-storage-item';

const MINUTE = 60_000;

/**
 * The popup's word on the team backend, shown only when a control URL is
 * configured: what it last did to the operator's presence, and the switch
 * that stops it at once.
 */
export function RemoteControlLine() {
  const settings = useStorageItem(controlSettingsStorage);
  const history = useStorageItem(controlHistoryStorage);
  const status = useStorageItem(controlStatusStorage);
  const last = history && lastPresenceChange(history);
  // "12 s ago" counts in seconds during its first minute, then minutes are enough.
  const now = useNow(last && Date.now() - last.at < MINUTE ? 1_000 : 15_000);
  if (!settings?.url || !history || !status) return null;

  return (
    <section class="card remote-control" aria-label="Team backend">
      <p data-testid="remote-last" class="remote-last" role="status">
        {remoteLastWording(history, settings, status, now)}
      </p>
      <RemoteControlSwitch id="popup-remote-switch" label="Remote control" />
    </section>
  );
}
