// Imports an export file into the open store. The operation log is a set keyed by operation
// id, and folding is order-independent (governance-fold.ts), so an import is a merge: each
// operation goes through GovernanceStore.applyRemote, the same checks sync applies, and an
// id already here is counted, not applied twice. Importing the same file twice adds nothing.
//
// Into a store with no data yet (a fresh install, another computer) the import is a move:
// the file's member identity is kept (roles and facilitator rights stay the member's), its
// settings are taken, operations made on the exporting computer stay "local", and those
// not yet uploaded are queued for the coop server again. Into a store with data, only
// operations are merged; settings and identity stay as they are.
//
// The file is read twice: once to check it whole (nothing is written from a damaged or
// too-new file), then to apply it in batches, each its own transaction, with a turn of the
// event loop between them. A crash half-way leaves a consistent store; importing again
// completes it.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ImportReport } from '../../../shared/contract/data';
import { settingSchemas, type SettingKey } from '../../../shared/settings';
import type { GovernanceOperation } from '../../../shared/governance/operation-types';
import type { Db } from './database';
import type { GovernanceStore } from './governance-store';
import type { MemberIdentity } from '../identity/member-identity';
import { Outbox } from '../sync/outbox';
import { exportedMetaPrefix, readArchive, type ArchiveLine, type ArchiveOperation } from './store-archive';

export interface ImportTarget {
  db: Db;
  governance: GovernanceStore;
  identity: MemberIdentity;
  /** Tells the settings' listeners after settings were taken from the file. */
  settingsChanged(): void;
}

/** Which of the report's counts an operation adds to. */
export function importCategory(type: string): keyof ImportReport['added'] {
  switch (type) {
    case 'circle.create':
      return 'circles';
    case 'assembly.create':
      return 'assemblies';
    case 'vote.create':
      return 'votes';
    case 'vote.ballot':
      return 'ballots';
    case 'contribution.create':
      return 'contributions';
    default:
      return 'other';
  }
}

/** No operations and never signed in: what a fresh install looks like. */
export function isEmptyStore(db: Db): boolean {
  const ops = db.prepare('SELECT count(*) FROM ops').pluck().get() as number;
  const session = db.prepare('SELECT count(*) FROM matrix_session').pluck().get() as number;
  return ops === 0 && session === 0;
}

export async function importArchive(file: string, target: ImportTarget): Promise<ImportReport> {
  const header = await readArchive(file);
  const { db, governance, identity } = target;
  const fresh = isEmptyStore(db) && identity.isLocal();
  const report: ImportReport = {
    fromVersion: header.appVersion,
    operations: 0,
    added: { circles: 0, assemblies: 0, votes: 0, ballots: 0, contributions: 0, other: 0 },
    alreadyHere: 0,
    refused: 0,
    settingsImported: false,
    identityKept: false,
  };
  const adoptIdentity = fresh && typeof header.identity.local === 'string' && header.identity.local.startsWith('local:');
  if (adoptIdentity) {
    // Before the first operation, so nothing is recorded under this install's own local identity.
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('local_actor', ?)").run(header.identity.local);
    identity.become(header.identity.actor ?? header.identity.local!);
    report.identityKept = true;
  }
  const outbox = new Outbox(db);
  const markLocal = db.prepare("UPDATE ops SET origin = 'local' WHERE id = ?");
  // A change this device took back because the other replicas refuse it (ops_not_accepted) is
  // not brought back by an export made before: it would make this replica differ again.
  const withdrawn = db.prepare('SELECT 1 FROM ops_not_accepted WHERE op_id = ?');
  const settingRows: { key: string; value: unknown }[] = [];
  const metaRows: { key: string; value: string }[] = [];

  await readArchive(file, async (lines: ArchiveLine[]) => {
    const ops = lines.filter((line): line is ArchiveOperation => line.t === 'op');
    for (const line of lines) {
      if (line.t === 'setting') settingRows.push(line);
      else if (line.t === 'meta' && line.key.startsWith(exportedMetaPrefix) && typeof line.value === 'string') metaRows.push(line);
    }
    if (ops.length === 0) return;
    const kept = ops.filter((line) => withdrawn.get(line.op.id) === undefined);
    const result = governance.applyRemote(
      kept.map((line) => line.op),
      { source: 'import' },
    );
    report.operations += ops.length;
    report.alreadyHere += result.duplicates.length;
    report.refused += result.rejected.length + (ops.length - kept.length);
    const applied = new Set(result.applied);
    const byId = new Map<string, ArchiveOperation>(ops.map((line) => [line.op.id, line]));
    for (const id of applied) report.added[importCategory(byId.get(id)!.op.type)]++;
    if (adoptIdentity) {
      db.transaction(() => {
        for (const id of applied) {
          const line = byId.get(id)!;
          if (line.origin !== 'local') continue;
          markLocal.run(id);
          if (line.pending) outbox.enqueue(line.op as GovernanceOperation);
        }
      })();
    }
    await yieldToEventLoop();
  });

  if (fresh) {
    const write = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    const writeMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    db.transaction(() => {
      for (const { key, value } of settingRows) {
        // A setting this build does not know, or a value it would not accept, is left out.
        const schema = (settingSchemas as Record<string, (typeof settingSchemas)[SettingKey]>)[key];
        if (schema?.safeParse(value).success) write.run(key, JSON.stringify(value));
      }
      for (const { key, value } of metaRows) writeMeta.run(key, value);
    })();
    report.settingsImported = settingRows.length + metaRows.length > 0;
    if (report.settingsImported) target.settingsChanged();
  }
  return report;
}
