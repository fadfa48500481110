import { hmacSha512Hex } from '../webhook/sign';
import { CONTROL_PROTOCOL } from './types';

/**
 * The control channel's handshake proofs (docs/control-channel.md): each side
 * signs the server's nonce (and the client's) with the shared key, so neither
 * sends the key and a recorded handshake cannot be replayed on a new nonce.
 * The role in the signed text keeps one side's proof from serving as the other's.
 */
export const clientProof = (key: string, nonce: string, session: string) =>
  hmacSha512Hex(key, `${CONTROL_PROTOCOL}\nclient\n${nonce}\n${session}`);

export const serverProof = (key: string, nonce: string, clientNonce: string, session: string) =>
  hmacSha512Hex(key, `${CONTROL_PROTOCOL}\nserver\n${nonce}\n${clientNonce}\n${session}`);

/** Compares two hex proofs in time that does not depend on where they differ. */
export function sameProof(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index++) difference |= expected.charCodeAt(index) ^ given.charCodeAt(index);
  return difference === 0;
}

/** 32 random bytes, base64url: the client's nonce. */
export function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
