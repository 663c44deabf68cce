// Whether this process is shutting down (SIGTERM, or a drain asked for by the cluster's primary), and who must hear of
// it at once: the console's event streams, which never end on their own and would otherwise keep the listener from
// closing until the shutdown deadline (ADR 076). No database here: the stream routes import it. On globalThis, since
// the scripts' copy of this module and the Remix build's copy are two.
const holder = globalThis as unknown as { firebreakDraining?: boolean; firebreakDrainListeners?: Set<() => void> };

function listeners(): Set<() => void> {
  holder.firebreakDrainListeners ??= new Set();
  return holder.firebreakDrainListeners;
}

/** Readiness turns false, and every open event stream is ended (the browser reconnects, to another process). */
export function markDraining(): void {
  if (holder.firebreakDraining) return;
  holder.firebreakDraining = true;
  for (const listener of [...listeners()]) listener();
  listeners().clear();
}

export function isDraining(): boolean {
  return holder.firebreakDraining === true;
}

/** Calls `listener` when the process starts draining (at once if it already is); returns the unsubscribe. */
export function onDraining(listener: () => void): () => void {
  if (isDraining()) {
    listener();
    return () => undefined;
  }
  listeners().add(listener);
  return () => listeners().delete(listener);
}
