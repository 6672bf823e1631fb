/**
 * What a widget keeps of its own call across a reload: the call's id (which the relay
 * gives only to whoever started the call) and when the relay accepted it. Kept in
 * `sessionStorage`, so it stays with the tab, under a key per widget, so that two widgets
 * on a page never pick up each other's call.
 */
export interface KeptCall {
  callId: string;
  /** When the relay accepted the call (epoch ms, this browser's clock). */
  at: number;
}

const PREFIX = 'mt-click-to-call:';

/**
 * Runs `use` on the tab's storage; where storage is off (a sandboxed frame, say), nothing
 * is kept and nothing is found.
 */
function withStorage<T>(use: (storage: Storage) => T): T | undefined {
  try {
    return use(sessionStorage);
  } catch {
    return undefined;
  }
}

/** Keeps a call under a widget's key. */
export function keepCall(key: string, call: KeptCall): void {
  withStorage((storage) => storage.setItem(PREFIX + key, JSON.stringify(call)));
}

/** The call kept under a widget's key, if any. */
export function keptCall(key: string): KeptCall | undefined {
  const kept = withStorage((storage) => JSON.parse(storage.getItem(PREFIX + key)!) as Partial<KeptCall> | null);
  return typeof kept?.callId === 'string' && typeof kept.at === 'number' ? (kept as KeptCall) : undefined;
}

/** Forgets a widget's call: it ended, or the relay no longer knows it. */
export function forgetCall(key: string): void {
  withStorage((storage) => storage.removeItem(PREFIX + key));
}
