// The governance views on screen, so a change reported by the core reloads them at once,
// from the event itself, instead of waiting for React to render a revision number and run
// an effect (a frame or more later): a facilitator's action shows as soon as the core has
// answered the reads it implies. A view reading one circle reloads only when that circle
// changed (or when everything may have: sign-in and sign-out).
export interface GovernanceWatcher {
  /** The only circle the view reads, or undefined when it reads across circles. */
  circle: string | undefined;
  reload(): void;
}

const watchers = new Set<GovernanceWatcher>();

export function watchGovernance(watcher: GovernanceWatcher): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** The core's governance.changed: the circles that changed, or none for "everything". */
export function governanceChangedIn(circles: readonly string[]): void {
  for (const watcher of [...watchers]) {
    if (circles.length === 0 || watcher.circle === undefined || circles.includes(watcher.circle)) watcher.reload();
  }
}
