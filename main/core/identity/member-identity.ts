// Who this member is, read whenever it is needed, never captured at start. Before a coop
// server is connected, work is recorded under a local identity (local:<uuid>); the first
// sign-in turns it into the member's Matrix id everywhere (sync/claim-identity.ts), and a
// later sign-in as someone else makes new work theirs. Every handler, the governance store,
// meetings and the renderer ask this service, so a sign-in takes effect at once.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';

export class MemberIdentity {
  /** The identity this installation recorded work under before any sign-in. */
  readonly local: string;
  private actor: string;
  private readonly listeners = new Set<(actor: string) => void>();

  constructor(private readonly db: Db) {
    this.local = readOrCreateLocalActor(db);
    this.actor = (db.prepare("SELECT value FROM meta WHERE key = 'actor'").get() as { value: string } | undefined)?.value ?? this.local;
  }

  /** Who local operations are made by now: the signed-in member's Matrix id, or the local identity. */
  current(): string {
    return this.actor;
  }

  /** Whether work so far is still recorded under the local identity (nothing claimed yet). */
  isLocal(): boolean {
    return this.actor.startsWith('local:');
  }

  /** The member's name as the circles know it, if any circle lists them. */
  displayName(): string | null {
    const row = this.db
      .prepare("SELECT display_name FROM gov_members WHERE member = ? AND set_v > removed_v AND display_name <> '' ORDER BY set_v DESC LIMIT 1")
      .get(this.actor) as { display_name: string } | undefined;
    return row?.display_name ?? null;
  }

  /** Makes `actor` the identity new work is recorded under (persisted) and tells listeners. */
  become(actor: string): void {
    if (actor === this.actor) return;
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('actor', ?)").run(actor);
    this.actor = actor;
    for (const listener of this.listeners) listener(actor);
  }

  onChange(listener: (actor: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function readOrCreateLocalActor(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'local_actor'").get() as { value: string } | undefined;
  if (row) return row.value;
  const actor = `local:${randomUUID()}`;
  db.prepare("INSERT INTO meta (key, value) VALUES ('local_actor', ?)").run(actor);
  return actor;
}
