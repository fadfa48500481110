import type { WebhookEnvironment } from '../webhook/envelope';

/** "Chrome/156.0.8078.73" or "Firefox/140.0" from a user agent; the UA itself otherwise. */
export function browserFromUserAgent(userAgent: string): string {
  return userAgent.match(/(Firefox|Chrome)\/[\d.]+/)?.[0] ?? userAgent;
}

/** WAHA's `environment` block for this extension (tier: the extension is one engine, no paid tiers). */
export function extensionEnvironment(version: string, userAgent: string, platform: string): WebhookEnvironment {
  return {
    version,
    engine: 'WEBJS',
    tier: 'CORE',
    browser: browserFromUserAgent(userAgent),
    platform,
    worker: { id: null },
  };
}
