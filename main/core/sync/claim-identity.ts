// Before a coop server is connected, local operations are signed by a local identity
// (local:<uuid>). The first time this device signs in, that identity becomes the member's
// Matrix user id everywhere, so what the facilitator did offline uploads under the name the
// server authenticates (inbound sync refuses operations whose actor is not their sender).
// Nothing of it has been uploaded yet, so rewriting is safe; the materialized tables are
// rebuilt from the rewritten log by the same deterministic fold.
import type { Db } from '../store/database';
import { GovernanceFold } from '../store/governance-fold';
import { materializedTables } from '../store/governance-store';
import type { GovernanceOperation } from '../../../shared/governance/operation-types';

export function claimLocalIdentity(db: Db, from: string, to: string): number {
  if (!from.startsWith('local:') || from === to) return 0;
  const quotedFrom = JSON.stringify(from);
  const quotedTo = JSON.stringify(to);
  return db.transaction(() => {
    const changed = db.prepare('UPDATE ops SET actor = ? WHERE actor = ?').run(to, from).changes;
    const inPayloads = db.prepare('UPDATE ops SET payload = replace(payload, ?, ?) WHERE instr(payload, ?) > 0').run(quotedFrom, quotedTo, quotedFrom).changes;
    db.prepare('UPDATE sync_outbox SET op_json = replace(op_json, ?, ?) WHERE instr(op_json, ?) > 0').run(quotedFrom, quotedTo, quotedFrom);
    db.prepare('UPDATE sync_poll_outbox SET content_json = replace(content_json, ?, ?) WHERE instr(content_json, ?) > 0').run(quotedFrom, quotedTo, quotedFrom);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('actor', ?)").run(to);
    if (changed + inPayloads === 0) return 0;
    for (const table of materializedTables) db.prepare(`DELETE FROM ${table}`).run();
    const fold = new GovernanceFold(db);
    // .all(), not .iterate(): better-sqlite3 refuses writes while a read cursor is open.
    for (const row of db.prepare('SELECT id, hlc, actor, circle, type, payload, v FROM ops ORDER BY seq').all() as Iterable<{
      id: string;
      hlc: string;
      actor: string;
      circle: string;
      type: string;
      payload: string;
      v: number;
    }>) {
      fold.apply({ ...row, payload: JSON.parse(row.payload) } as GovernanceOperation);
    }
    return changed;
  })();
}

/** The identity local operations are made by now: the claimed Matrix id, or the local one. */
export function currentActor(db: Db, localActor: string): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'actor'").get() as { value: string } | undefined)?.value ?? localActor;
}
