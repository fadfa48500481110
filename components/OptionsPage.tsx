import { BehaviourSection } from './BehaviourSection';
import { DeadLettersSection } from './DeadLettersSection';
import { PrivacySection } from './PrivacySection';
import { RemoteControlSection } from './RemoteControlSection';
import { SessionSection } from './SessionSection';
import { WebhooksSection } from './WebhooksSection';

export function OptionsPage() {
  return (
    <>
      <header class="options-header">
        <h1>Presence Companion for WhatsApp Web</h1>
        <p>Where your contacts' presence goes, and how the extension behaves.</p>
      </header>
      <main class="options">
        <WebhooksSection />
        <RemoteControlSection />
        <SessionSection />
        <BehaviourSection />
        <DeadLettersSection />
        <PrivacySection />
      </main>
    </>
  );
}
