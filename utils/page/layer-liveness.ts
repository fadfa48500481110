/**
 * Tells whether the stanza tap really receives presence. On builds that run
 * WhatsApp's presence handlers in its backend worker, `WAWap.decodeStanza`
 * still exists on the page and our wrapper is installed, yet no presence
 * stanza passes through it: only the Presence models change. A tap that has
 * seen no presence or chatstate stanza while the models reported this many
 * changes is quiet; the next presence stanza it sees makes it live again.
 * (WhatsApp's own typing expiry changes models without a stanza, hence more
 * than one change.)
 */
export const QUIET_AFTER_MODEL_CHANGES = 5;

export type TapLiveness = 'live' | 'quiet';

export function createLayerLiveness(onChange: (status: TapLiveness) => void) {
  let armed = false;
  let status: TapLiveness = 'live';
  let modelChangesSinceStanza = 0;
  const set = (next: TapLiveness) => {
    if (next === status) return;
    status = next;
    onChange(next);
  };
  return {
    /** The tap is installed: from now on its silence means something. */
    arm() {
      armed = true;
    },
    stanzaSeen() {
      modelChangesSinceStanza = 0;
      set('live');
    },
    modelChanged(count: number) {
      if (!armed) return;
      modelChangesSinceStanza += count;
      if (modelChangesSinceStanza >= QUIET_AFTER_MODEL_CHANGES) set('quiet');
    },
    get status() {
      return status;
    },
  };
}

export type LayerLiveness = ReturnType<typeof createLayerLiveness>;
