import { clientProof, randomNonce, sameProof, serverProof } from './auth';
import { CLOSE, helloFrame, parseServerFrame, pingFrame, responseFrame } from './frames';
import type { ControlAnswer } from './types';

/** The part of a WebSocket the client uses: the browser's, or `ws`'s in Node tests. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export const PING_EVERY_MS = 20_000;
/** Nothing heard for this long (three pings unanswered): the connection is dead even if no close came. */
export const SILENCE_LIMIT_MS = 60_000;
export const HANDSHAKE_LIMIT_MS = 10_000;
const OPEN = 1;

export interface ControlClientOptions {
  url: string;
  key: string;
  session: string;
  version: string;
  openSocket: (url: string) => SocketLike;
  /** Runs one checked request; its answer is sent back under the request's id. */
  onRequest: (op: string, params: unknown) => Promise<ControlAnswer>;
  onConnected: () => void;
  /** Once per client: why the connection ended (`refusedKey`: either side found the key wrong). */
  onClosed: (closed: { code: number; reason: string; refusedKey: boolean; wasConnected: boolean }) => void;
  /** Each ping tick while connected (the background uses it to stay awake in Firefox). */
  onTick?: () => void;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout; setInterval: typeof setInterval; clearInterval: typeof clearInterval };
}

/**
 * One connection of the control channel (docs/control-channel.md): the
 * handshake, then requests answered once each, pings, and a single report of
 * how it ended. Reconnecting is the caller's decision (utils/background/control-service.ts).
 */
export function openControlClient(options: ControlClientOptions) {
  const timers = options.timers ?? globalThis;
  let phase: 'challenge' | 'welcome' | 'connected' | 'closed' = 'challenge';
  let nonce = '';
  let clientNonce = '';
  let ended = false;
  let localClose: { code: number; reason: string } | null = null;
  let ping: ReturnType<typeof setInterval> | undefined;
  let silence: ReturnType<typeof setTimeout> | undefined;

  const socket = options.openSocket(options.url);
  const handshake = timers.setTimeout(() => closeWith(CLOSE.handshakeTimeout, 'handshake not done in 10 s'), HANDSHAKE_LIMIT_MS);

  function closeWith(code: number, reason: string) {
    if (localClose) return; // closing already: the first reason stands, later frames are dropped
    localClose = { code, reason };
    try {
      socket.close(code, reason.slice(0, 120));
    } catch {
      finish(code, reason);
    }
    // A socket that never reports its close (network gone) still ends this client.
    timers.setTimeout(() => finish(code, reason), 5000);
  }

  function heard() {
    timers.clearTimeout(silence);
    silence = timers.setTimeout(() => closeWith(1000, `nothing heard from the server for ${SILENCE_LIMIT_MS / 1000} s`), SILENCE_LIMIT_MS);
  }

  function finish(code: number, reason: string) {
    if (ended) return;
    ended = true;
    const wasConnected = phase === 'connected';
    phase = 'closed';
    timers.clearTimeout(handshake);
    timers.clearTimeout(silence);
    timers.clearInterval(ping);
    const ours = localClose;
    const refusedKey = code === CLOSE.badSignature || ours?.code === CLOSE.badSignature;
    options.onClosed({ code: ours?.code ?? code, reason: ours?.reason ?? reason, refusedKey, wasConnected });
  }

  const send = (text: string) => {
    if (socket.readyState === OPEN) socket.send(text);
  };

  async function answer(id: string, op: string, params: unknown) {
    let result: ControlAnswer;
    try {
      result = await options.onRequest(op, params);
    } catch (error) {
      result = { ok: false, error: { kind: 'internal', message: `The extension failed: ${String(error).slice(0, 200)}` } };
    }
    if (phase === 'connected') send(responseFrame(id, result));
  }

  async function onFrame(text: unknown) {
    if (localClose || ended) return;
    const parsed = parseServerFrame(text);
    if (!parsed.ok) return closeWith(CLOSE.protocolError, `refused ${parsed.reason}`);
    const frame = parsed.frame;
    heard();
    if (phase === 'challenge' && frame.type === 'challenge') {
      nonce = frame.nonce;
      clientNonce = randomNonce();
      phase = 'welcome';
      const signature = await clientProof(options.key, nonce, options.session);
      send(helloFrame({ session: options.session, clientNonce, signature, version: options.version }));
      return;
    }
    if (phase === 'welcome' && frame.type === 'welcome') {
      const expected = await serverProof(options.key, nonce, clientNonce, options.session);
      if (!sameProof(expected, frame.signature)) return closeWith(CLOSE.badSignature, 'the server did not prove it holds the control key');
      phase = 'connected';
      timers.clearTimeout(handshake);
      ping = timers.setInterval(() => {
        send(pingFrame());
        options.onTick?.();
      }, PING_EVERY_MS);
      options.onConnected();
      return;
    }
    if (phase === 'connected' && frame.type === 'request') return void answer(frame.id, frame.op, frame.params);
    if (phase === 'connected' && frame.type === 'pong') return;
    closeWith(CLOSE.protocolError, `unexpected ${frame.type} frame`);
  }

  // Frames are handled one after the other: the hello must go out before a
  // welcome is checked, even though signing is asynchronous.
  let queue = Promise.resolve();
  socket.onmessage = (event) => {
    queue = queue.then(() => onFrame(event.data)).catch((error) => closeWith(CLOSE.protocolError, `could not handle a frame: ${String(error)}`));
  };
  socket.onclose = (event) => finish(event.code, event.reason);
  socket.onerror = () => {}; // a close follows; its code says more than the error event
  socket.onopen = () => heard();

  return {
    /** Ends the connection on purpose (settings changed, session gone). */
    close(reason: string) {
      closeWith(1000, reason);
    },
    get connected() {
      return phase === 'connected';
    },
  };
}

export type ControlClient = ReturnType<typeof openControlClient>;
