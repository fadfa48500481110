/** A Wid's `_serialized`, or a string id as is; undefined for anything that is not an id. */
export function widToString(wid: unknown): string | undefined {
  const text = typeof wid === 'string' ? wid : (wid as { _serialized?: unknown } | null)?._serialized;
  return typeof text === 'string' && text.includes('@') ? text : undefined;
}
