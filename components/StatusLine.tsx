import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/utils/messaging';
import { deliveryStatsStorage, hookStatusStorage, meStorage, webhooksStorage, type SessionStatus } from '@/utils/storage';
import { deliveryWording, hookWording, sessionWording, type DeliveryHealth } from '@/utils/ui/status-wording';
import { useNow } from './hooks/use-now';
import { useStorageItem } from './hooks/use-storage-item';

const WHATSAPP_URL = 'https://web.whatsapp.com/';

/** Brings an open WhatsApp Web tab to the front, or opens one. */
async function showWhatsApp(): Promise<void> {
  const [tab] = await browser.tabs.query({ url: `${WHATSAPP_URL}*` });
  if (tab?.id === undefined) {
    await browser.tabs.create({ url: WHATSAPP_URL });
    return;
  }
  await browser.tabs.update(tab.id, { active: true });
  if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
}

/** The delivery health, asked again whenever the background records a delivery. */
function useDeliveryHealth(): DeliveryHealth | null {
  const [health, setHealth] = useState<DeliveryHealth | null>(null);
  useEffect(() => {
    const ask = () => sendMessage('getDeliveryHealth', undefined).then(setHealth, () => setHealth(null));
    void ask();
    return deliveryStatsStorage.watch(() => void ask());
  }, []);
  return health;
}

interface Props {
  session: { tabId: number | null; status: SessionStatus | null } | undefined;
}

/** Is WhatsApp Web there, as whom, does the hook work on this build, do webhooks get through. */
export function StatusLine({ session }: Props) {
  const me = useStorageItem(meStorage);
  const hook = useStorageItem(hookStatusStorage);
  const webhooks = useStorageItem(webhooksStorage);
  const health = useDeliveryHealth();
  const now = useNow(30_000);
  const [openError, setOpenError] = useState<string>();

  const tab = session && sessionWording(session, me ?? null);
  const hookText = hook && tab?.tabOpen ? hookWording(hook) : null;
  const delivery = webhooks && deliveryWording(health, webhooks.length, now);

  return (
    <section class="card status" aria-label="Status">
      {tab && (
        <p class={tab.tabOpen ? 'status-line' : 'status-line warn'}>
          <span>{tab.text}</span>
          {!tab.tabOpen && (
            <button type="button" class="primary" onClick={() => showWhatsApp().catch((error) => setOpenError(String(error?.message ?? error)))}>
              Open WhatsApp Web
            </button>
          )}
        </p>
      )}
      {openError && <p class="error" role="alert">Could not open WhatsApp Web: {openError}</p>}
      {hookText && (
        <div class="status-line">
          <span>{hookText.text}</span>
          {hookText.unavailable.length > 0 && (
            <ul class="unavailable" aria-label="Unavailable on this WhatsApp build">
              {hookText.unavailable.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {delivery && <p class={`status-line ${delivery.tone}`}>{delivery.text}</p>}
    </section>
  );
}
