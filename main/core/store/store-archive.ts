// The export file: the whole store in one file a member can keep on a USB stick and import
// on a fresh install or another computer. It holds the governance operation log (the
// source of truth: circles, assemblies, votes, ballots and contributions all refold from
// it), the settings, and the meetings settings that are not secret. Never the Matrix token,
// the BBB secret, the chat cache or sync's bookkeeping: those come back from the server.
//
// Format: gzip of JSON lines, written and read as a stream so a store of a million
// operations never has to fit in memory.
//   {"t":"header","format":"plenary-store","formatVersion":1,"appVersion":…,"operationVersion":1,…}
//   {"t":"op","op":{id,hlc,actor,circle,type,payload,v},"origin":"local","pending":true}   (one per operation)
//   {"t":"setting","key":…,"value":…}  {"t":"meta","key":"meetings.…","value":…}
//   {"t":"end","lines":N,"sha256":<hex of every byte before this line>}
// gzip's CRC finds a damaged file; the end line's checksum and count find one cut short or
// edited. A file from a later format, or with operations of a later version, is refused
// with the version that wrote it.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, openSync, readSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Db } from './database';
import { appliedMigrations } from './database';
import { operationSchemaVersion } from '../../../shared/governance/operation';
import type { GovernanceOperation } from '../../../shared/governance/operation-types';

export const archiveFormat = 'plenary-store';
export const archiveFormatVersion = 1;
/** Meta rows that travel in an export: the meetings settings without the secret (which is in the SecretStore). */
export const exportedMetaPrefix = 'meetings.';

export interface ArchiveHeader {
  t: 'header';
  format: typeof archiveFormat;
  formatVersion: number;
  appVersion: string;
  operationVersion: number;
  schema: string[];
  createdAt: number;
  identity: { local: string | null; actor: string | null };
  operations: number;
}

export interface ArchiveOperation {
  t: 'op';
  op: GovernanceOperation;
  origin: 'local' | 'remote';
  /** Not yet on the coop server when exported. */
  pending?: true;
}

export type ArchiveLine =
  | ArchiveHeader
  | ArchiveOperation
  | { t: 'setting'; key: string; value: unknown }
  | { t: 'meta'; key: string; value: string }
  | { t: 'end'; lines: number; sha256: string };

export type ArchiveRefusal = 'file_damaged' | 'file_too_new' | 'file_not_plenary';

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveRefusal,
    message: string,
    readonly writtenBy: string | null = null,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const pageSize = 5000;
/** No line of a real export comes near this (an operation is at most 60,000 bytes); a longer one is damage. */
const maxLineBytes = 16 * 1024 * 1024;

function metaValue(db: Db, key: string): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

/** Writes the store to `file`; yields to the event loop between pages of the log so calls keep being answered. */
export async function writeArchive(db: Db, file: string, options: { appVersion: string; now: number }): Promise<{ operations: number }> {
  const gzip = createGzip();
  const out = createWriteStream(file);
  gzip.pipe(out);
  const hash = createHash('sha256');
  let lines = 0;
  const write = async (line: ArchiveLine) => {
    const text = JSON.stringify(line) + '\n';
    hash.update(text);
    lines++;
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  // Withdrawn operations (their events were redacted on the coop server) stay out: an import
  // has no way to know they were withdrawn and would bring them back.
  const operations = (db.prepare('SELECT count(*) FROM ops WHERE withdrawn = 0').pluck().get() as number) ?? 0;
  const localActor = metaValue(db, 'local_actor');
  await write({
    t: 'header',
    format: archiveFormat,
    formatVersion: archiveFormatVersion,
    appVersion: options.appVersion,
    operationVersion: operationSchemaVersion,
    schema: appliedMigrations(db),
    createdAt: options.now,
    identity: { local: localActor, actor: metaValue(db, 'actor') ?? localActor },
    operations,
  });
  const page = db.prepare(
    'SELECT o.seq, o.id, o.hlc, o.actor, o.circle, o.type, o.payload, o.v, o.origin, (s.op_id IS NOT NULL) AS pending FROM ops o LEFT JOIN sync_outbox s ON s.op_id = o.id WHERE o.seq > ? AND o.withdrawn = 0 ORDER BY o.seq LIMIT ?',
  );
  let after = 0;
  for (;;) {
    const rows = page.all(after, pageSize) as {
      seq: number;
      id: string;
      hlc: string;
      actor: string;
      circle: string;
      type: GovernanceOperation['type'];
      payload: string;
      v: number;
      origin: 'local' | 'remote';
      pending: number;
    }[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const op = { id: r.id, hlc: r.hlc, actor: r.actor, circle: r.circle, type: r.type, payload: JSON.parse(r.payload) as unknown, v: r.v } as GovernanceOperation;
      await write(r.pending ? { t: 'op', op, origin: r.origin, pending: true } : { t: 'op', op, origin: r.origin });
    }
    after = rows[rows.length - 1]!.seq;
    await yieldToEventLoop();
  }
  for (const row of db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[]) {
    await write({ t: 'setting', key: row.key, value: JSON.parse(row.value) as unknown });
  }
  for (const row of db.prepare("SELECT key, value FROM meta WHERE key LIKE 'meetings.%' ORDER BY key").all() as { key: string; value: string }[]) {
    await write({ t: 'meta', key: row.key, value: row.value });
  }
  const end = JSON.stringify({ t: 'end', lines, sha256: hash.digest('hex') } satisfies ArchiveLine) + '\n';
  gzip.end(end);
  await finished(out);
  return { operations };
}

function startsWithGzipMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Every line of the file in order, each with the checksum state before it. Throws ArchiveError on damage. */
async function* archiveLines(file: string): AsyncGenerator<{ text: string; hash: Hash }> {
  if (!startsWithGzipMagic(file)) throw new ArchiveError('file_not_plenary', 'not a Plenary export (not a gzip file)');
  const hash = createHash('sha256');
  const input = createReadStream(file).pipe(createGunzip());
  // A UTF-8 character can straddle two chunks; the decoder holds its first bytes back.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const buffer = rest + decoder.write(chunk);
      let start = 0;
      let newline: number;
      while ((newline = buffer.indexOf('\n', start)) >= 0) {
        const text = buffer.slice(start, newline);
        start = newline + 1;
        yield { text, hash };
        hash.update(text + '\n');
      }
      rest = buffer.slice(start);
      if (rest.length > maxLineBytes) throw new ArchiveError('file_damaged', 'the export is damaged (a line is far longer than any export writes)');
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError('file_damaged', `the export is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
  if (rest.length > 0) yield { text: rest, hash };
}

function parseLine(text: string): ArchiveLine {
  try {
    const line = JSON.parse(text) as ArchiveLine;
    if (typeof line !== 'object' || line === null || typeof line.t !== 'string') throw new Error('not a line object');
    return line;
  } catch {
    throw new ArchiveError('file_damaged', 'the export is damaged (a line is not valid JSON)');
  }
}

/**
 * Reads the whole file and checks it: a Plenary export, a format and operations this build
 * knows, complete, and matching its checksum. Calls `onBatch` with the file's lines (after
 * the header, before the end) in batches; pass none to only check.
 */
export async function readArchive(file: string, onBatch?: (lines: ArchiveLine[]) => void | Promise<void>, batchSize = 2000): Promise<ArchiveHeader> {
  let header: ArchiveHeader | null = null;
  let count = 0;
  let ended = false;
  let batch: ArchiveLine[] = [];
  for await (const { text, hash } of archiveLines(file)) {
    if (ended) throw new ArchiveError('file_damaged', 'the export is damaged (something follows its end)');
    if (header === null) {
      let first: unknown;
      try {
        first = JSON.parse(text);
      } catch {
        throw new ArchiveError('file_not_plenary', 'not a Plenary export (its first line is not a header)');
      }
      const candidate = first as Partial<ArchiveHeader> | null;
      if (!candidate || candidate.t !== 'header' || candidate.format !== archiveFormat) throw new ArchiveError('file_not_plenary', 'not a Plenary export');
      const writtenBy = typeof candidate.appVersion === 'string' ? candidate.appVersion : null;
      if (typeof candidate.formatVersion !== 'number' || candidate.formatVersion > archiveFormatVersion || (candidate.operationVersion ?? 0) > operationSchemaVersion) {
        throw new ArchiveError('file_too_new', `the export was written by Plenary ${writtenBy ?? '(unknown)'} in a newer format; update Plenary to import it`, writtenBy);
      }
      header = candidate as ArchiveHeader;
      count++;
      continue;
    }
    const line = parseLine(text);
    if (line.t === 'end') {
      if (line.lines !== count || line.sha256 !== hash.copy().digest('hex')) throw new ArchiveError('file_damaged', 'the export is damaged (its checksum does not match its content)');
      ended = true;
      continue;
    }
    count++;
    if (!onBatch) continue;
    batch.push(line);
    if (batch.length >= batchSize) {
      await onBatch(batch);
      batch = [];
    }
  }
  if (header === null) throw new ArchiveError('file_not_plenary', 'not a Plenary export (the file is empty)');
  if (!ended) throw new ArchiveError('file_damaged', 'the export is damaged (it ends too early)');
  if (onBatch && batch.length > 0) await onBatch(batch);
  return header;
}
