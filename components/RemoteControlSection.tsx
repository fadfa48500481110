import { controlHistoryStorage, controlSettingsStorage, controlStatusStorage, sessionSettingsStorage } from '@/utils/storage';
import { controlHistoryLines, controlStatusWording } from '@/utils/ui/control-wording';
import { ControlChannelForm } from './ControlChannelForm';
import { RemoteControlSwitch } from './RemoteControlSwitch';
import { useNow } from './hooks/use-now';
import { useStorageItem } from './hooks/use-storage-item';

/**
 * The operator's side of the control channel (docs/control-channel.md):
 * where the background connects out to, whether the backend may act, how the
 * channel is doing, and every request it made. The background reads and
 * writes the same storage items; this page never talks to it directly.
 */
export function RemoteControlSection() {
  const settings = useStorageItem(controlSettingsStorage);
  const session = useStorageItem(sessionSettingsStorage);
  return (
    <section class="card" aria-labelledby="remote-title">
      <h2 id="remote-title">Remote control</h2>
      <p class="hint">
        Your team's backend can set your presence (online, typing, recording…), read presence and follow contacts through this channel: this
        browser connects out to the control URL while WhatsApp Web is open{session ? `, as session "${session.name}"` : ''}. It is off until you
        turn it on, and every request is listed below.
      </p>
      {settings && <ControlChannelForm stored={settings} />}
      <div class="row">
        <RemoteControlSwitch id="options-remote-switch" label="Let the backend control my presence" />
      </div>
      <ControlStatusLine />
      <ControlHistory />
    </section>
  );
}

function ControlStatusLine() {
  const settings = useStorageItem(controlSettingsStorage);
  const status = useStorageItem(controlStatusStorage);
  // Seconds matter for "retrying in 40 s"; otherwise minutes are enough.
  const now = useNow(status?.state === 'retrying' ? 1_000 : 15_000);
  const wording = settings && status && controlStatusWording(status, settings, now);
  return (
    <p data-testid="control-status" class={`state ${wording?.tone ?? ''}`} role="status">
      {wording?.text}
    </p>
  );
}

function ControlHistory() {
  const history = useStorageItem(controlHistoryStorage);
  const now = useNow(15_000);
  const lines = history ? controlHistoryLines(history, now) : [];
  return (
    <>
      <h3 class="subhead">Requests from the backend</h3>
      <p class="hint">The last 50, newest first, kept until the browser closes.</p>
      <ul class="control-history" data-testid="control-history" aria-label="Requests from the backend">
        {lines.map((line) => (
          <li key={line.key}>
            <span class="hint">{line.when}</span>
            <span>{line.what}</span>
            <span class={line.ok ? 'ok' : 'error'}>{line.outcome}</span>
          </li>
        ))}
      </ul>
      {history?.length === 0 && <p class="empty">No request yet.</p>}
      <div class="row">
        <button type="button" disabled={!history?.length} onClick={() => void controlHistoryStorage.removeValue()}>
          Clear history
        </button>
      </div>
    </>
  );
}
