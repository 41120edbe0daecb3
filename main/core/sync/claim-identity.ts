// Before a coop server is connected, local operations are signed by a local identity
// (local:<uuid>). The first time this device signs in, that identity becomes the member's
// Matrix user id everywhere, so what the facilitator did offline uploads under the name the
// server authenticates (inbound sync refuses operations whose actor is not their sender).
// Nothing of it has been uploaded yet, so rewriting is safe; the materialized tables are
// rebuilt from the rewritten log by the same deterministic fold.
import type { Db } from '../store/database';
import type { GovernanceStore } from '../store/governance-store';

export function claimLocalIdentity(db: Db, store: Pick<GovernanceStore, 'rebuild'>, from: string, to: string): number {
  if (!from.startsWith('local:') || from === to) return 0;
  const quotedFrom = JSON.stringify(from);
  const quotedTo = JSON.stringify(to);
  return db.transaction(() => {
    const changed = db.prepare('UPDATE ops SET actor = ? WHERE actor = ?').run(to, from).changes;
    const inPayloads = db.prepare('UPDATE ops SET payload = replace(payload, ?, ?) WHERE instr(payload, ?) > 0').run(quotedFrom, quotedTo, quotedFrom).changes;
    db.prepare('UPDATE sync_outbox SET op_json = replace(op_json, ?, ?) WHERE instr(op_json, ?) > 0').run(quotedFrom, quotedTo, quotedFrom);
    db.prepare('UPDATE sync_poll_outbox SET content_json = replace(content_json, ?, ?) WHERE instr(content_json, ?) > 0').run(quotedFrom, quotedTo, quotedFrom);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('actor', ?)").run(to);
    if (changed + inPayloads > 0) store.rebuild();
    return changed;
  })();
}

/** The identity local operations are made by now: the claimed Matrix id, or the local one. */
export function currentActor(db: Db, localActor: string): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'actor'").get() as { value: string } | undefined)?.value ?? localActor;
}
