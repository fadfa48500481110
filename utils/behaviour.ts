/**
 * The operator's behaviour settings and their defaults (stored as `local:behaviour`,
 * see utils/storage.ts). Free of imports so tests in Node can use the defaults.
 */
export interface Behaviour {
  /** Typing/recording with no fresh signal for this long becomes `paused`. */
  typingTimeoutSeconds: number;
  /** Past this many queued webhook deliveries, the oldest are dropped (and counted). */
  outboxLimit: number;
  /** An "online" the operator set is held this long, then switched off (the phone gets no pushes meanwhile). */
  heldOnlineMinutes: number;
  /** Typing/recording the operator sets is renewed this long unless ended sooner. */
  chatStateHoldSeconds: number;
  /** At most this many followed contacts: mass subscription looks like automation to WhatsApp. */
  followCap: number;
  /** 'all': forward presence for every chat WhatsApp delivers it for (as WAHA does); 'followed': only followed chats. */
  forwardScope: 'all' | 'followed';
  /** A chat not seen for this long leaves the presence table (followed chats stay): presence is not kept longer than needed. */
  presenceRetentionHours: number;
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  typingTimeoutSeconds: 15,
  outboxLimit: 10_000,
  heldOnlineMinutes: 10,
  chatStateHoldSeconds: 60,
  followCap: 50,
  forwardScope: 'all',
  presenceRetentionHours: 24,
};

