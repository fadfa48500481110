import type { CapabilityName, HookReport } from '../protocol/page-messages';
import { tryRequire, waVersion, type WaWindow } from './wa-modules';

/**
 * One piece of the hook (the stanza tap, the session watch…). It starts once
 * every module it needs can be required, and a failure in one never stops the
 * others.
 */
export interface Capability {
  name: CapabilityName;
  modules: readonly string[];
  /** Installs the capability; returns how to undo it. */
  start(modules: Record<string, any>): () => void;
}

/**
 * Starts each capability as soon as WhatsApp Web has registered its modules
 * (call `check` whenever modules were defined), reports each one live or
 * unavailable, and on `settle` (the app is fully loaded) reports the ones
 * still waiting as unavailable, naming what is missing on which build.
 */
export function createCapabilityRunner(
  win: WaWindow,
  capabilities: readonly Capability[],
  report: (status: HookReport) => void,
) {
  const pending = new Set(capabilities);
  const stops: Array<() => void> = [];
  /**
   * Reports sent before WhatsApp's bootloader set its version: a capability
   * whose modules come in the first chunk goes live in a timer that may run
   * before the chunk's load event sets `Debug.VERSION` (it did in Firefox), and
   * the popup would say "WhatsApp Web unknown" for good. Sent again once known.
   */
  const withoutVersion = new Map<CapabilityName, Omit<HookReport, 'version'>>();
  const send = (capability: CapabilityName, status: HookReport['status'], detail?: string) => {
    const version = waVersion(win);
    if (version === 'unknown') withoutVersion.set(capability, { kind: 'hook', capability, status, detail });
    else withoutVersion.delete(capability);
    report({ kind: 'hook', capability, status, detail, version });
  };
  const resendWithVersion = () => {
    const version = waVersion(win);
    if (version === 'unknown' || !withoutVersion.size) return;
    for (const sent of withoutVersion.values()) report({ ...sent, version });
    withoutVersion.clear();
  };

  function check() {
    resendWithVersion();
    for (const capability of [...pending]) {
      const modules: Record<string, any> = {};
      if (!capability.modules.every((name) => (modules[name] = tryRequire(win, name)) !== undefined)) continue;
      pending.delete(capability);
      try {
        stops.push(capability.start(modules));
        send(capability.name, 'live');
      } catch (error) {
        send(capability.name, 'unavailable', `failed to start: ${String(error).slice(0, 200)}`);
      }
    }
    return pending.size;
  }

  function settle() {
    check();
    for (const capability of pending) {
      const missing = capability.modules.filter((name) => tryRequire(win, name) === undefined);
      send(capability.name, 'unavailable', `${missing.join(', ')} missing on WhatsApp Web ${waVersion(win)}`);
    }
    pending.clear();
  }

  return {
    check,
    settle,
    get pendingCount() {
      return pending.size;
    },
    stop: () => stops.splice(0).forEach((stop) => stop()),
  };
}
