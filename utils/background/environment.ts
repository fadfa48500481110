import type { WebhookEnvironment } from '../webhook/envelope';

/**
 * WAHA's `environment` block for this extension (tier: the extension is one
 * engine, no paid tiers). `browser` and `platform` keep WAHA's keys but are
 * never filled: the operator's browser and system are technical data no
 * backend needs for presence, and Mozilla's policy lets such data be sent
 * only with an opt-out the extension would then have to honour.
 */
export function extensionEnvironment(version: string): WebhookEnvironment {
  return { version, engine: 'WEBJS', tier: 'CORE', browser: null, platform: null, worker: { id: null } };
}
