/**
 * The hook's capabilities, each reported live or unavailable: the listening
 * layers (stanzaTap first, presenceModels as fallback), the session watch, and
 * the command families. Apart from the schemas, so that importing the names
 * brings no validator along.
 */
export const CAPABILITIES = ['session', 'stanzaTap', 'presenceModels', 'chatState', 'ownPresence', 'subscribe', 'chatList'] as const;
export type CapabilityName = (typeof CAPABILITIES)[number];

/** The capabilities that receive presence: with none of them live, the hook has failed. */
export const PRESENCE_LAYERS: readonly CapabilityName[] = ['stanzaTap', 'presenceModels'];
