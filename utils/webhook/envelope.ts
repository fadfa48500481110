import { ulid } from '../ids/ulid';
import type { MeInfo } from '../presence/types';

/** WAHA's `environment` block, describing the engine that produced an event. */
export interface WebhookEnvironment {
  version: string;
  engine: 'WEBJS';
  tier: string;
  /** Always null: not sent (utils/background/environment.ts). */
  browser: null;
  platform: null;
  worker: { id: null };
}

export interface WebhookEnvelope<P = unknown> {
  id: string;
  timestamp: number;
  event: string;
  session: string;
  metadata: Record<string, string>;
  engine: 'WEBJS';
  me?: MeInfo;
  environment: WebhookEnvironment;
  payload: P;
}

export interface EnvelopeContext {
  session: string;
  metadata: Record<string, string>;
  me?: MeInfo | null;
  environment: WebhookEnvironment;
}

/** `evt_` + a lowercase ULID: unique, time-ordered, and kept across retries. */
export function newEventId(now = Date.now()): string {
  return `evt_${ulid(now).toLowerCase()}`;
}

/** The WAHA envelope around one event; `timestamp` is when it happened (ms). */
export function buildEnvelope<P>(
  event: string,
  payload: P,
  timestamp: number,
  context: EnvelopeContext,
  id = newEventId(timestamp),
): WebhookEnvelope<P> {
  return {
    id,
    timestamp,
    event,
    session: context.session,
    metadata: context.metadata,
    engine: 'WEBJS',
    ...(context.me ? { me: context.me } : {}),
    environment: context.environment,
    payload,
  };
}
