// Governance operations travel in Matrix events of a namespaced custom type, many per
// event. Synapse's default rate limit (rc_message: 0.2 events/s after a burst of 10) makes
// events, not bytes, the scarce resource, so the operations are packed densely: the list
// is JSON with the circle and actors factored out, compressed with raw DEFLATE and carried
// as base64. Governance operations are repetitive, so one event carries thousands of them
// and 10,000 offline operations fit in a handful of events.
//
// content = {
//   "v": 1,                       encoding version
//   "batch": "<26-char id>",      the outbox batch; the transaction id derives from it
//   "circle": "<circle id>",
//   "count": <number of operations>,
//   "encoding": "deflate-base64",
//   "ops": "<base64 of deflateRaw(JSON {actors: [...], ops: [[id, hlc, actorIndex, type, v, payload], ...]})>"
// }
// The whole content must be at most maxOpsContentBytes of canonical JSON.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalJson } from './canonical-json';
import type { Operation } from '../../../shared/governance/operation';

export const opsEventType = 'coop.meet.plenary.ops';
export const opsEncodingVersion = 1;
export const opsEncoding = 'deflate-base64';
/** Canonical JSON bytes allowed for one event's content (Synapse refuses events over 65,536 bytes in all). */
export const maxOpsContentBytes = 60_000;
/** Refuse to inflate more than this: a small event must not expand into gigabytes. */
export const maxInflatedBytes = 16 * 1024 * 1024;
/** Upper bound on operations per event, which also bounds the work one event can cause. */
export const maxOpsPerEvent = 20_000;

export type EncodedOp = [id: string, hlc: string, actor: number, type: string, v: number, payload: Record<string, unknown>];

export interface OpsEventContent {
  v: number;
  batch: string;
  circle: string;
  count: number;
  encoding: string;
  ops: string;
}

function packList(circle: string, ops: readonly Operation[]): { actors: string[]; ops: EncodedOp[] } {
  const actors: string[] = [];
  const index = new Map<string, number>();
  const encoded: EncodedOp[] = ops.map((op) => {
    if (op.circle !== circle) throw new Error(`Operation ${op.id} belongs to circle ${op.circle}, not ${circle}`);
    let i = index.get(op.actor);
    if (i === undefined) {
      i = actors.length;
      actors.push(op.actor);
      index.set(op.actor, i);
    }
    return [op.id, op.hlc, i, op.type, op.v, op.payload];
  });
  return { actors, ops: encoded };
}

export function encodeOpsContent(batch: string, circle: string, ops: readonly Operation[]): OpsEventContent {
  // canonicalJson also proves every payload is Matrix-safe (integers only, no floats).
  const list = canonicalJson(packList(circle, ops));
  const data = deflateRawSync(Buffer.from(list, 'utf8'), { level: 9 }).toString('base64');
  return { v: opsEncodingVersion, batch, circle, count: ops.length, encoding: opsEncoding, ops: data };
}

export function contentBytes(content: OpsEventContent): number {
  return Buffer.byteLength(canonicalJson(content), 'utf8');
}

export type DecodeOutcome = { ok: true; batch: string; circle: string; ops: unknown[] } | { ok: false; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Decodes received content into raw operations. Structure only: each operation is then
 * validated and authorised on its own. Anything malformed is reported, never thrown.
 */
export function decodeOpsContent(content: unknown): DecodeOutcome {
  if (!isRecord(content)) return { ok: false, reason: 'content is not an object' };
  if (content.v !== opsEncodingVersion) return { ok: false, reason: `unknown encoding version ${JSON.stringify(content.v)}` };
  const { batch, circle, count, encoding, ops } = content;
  if (typeof batch !== 'string' || batch.length === 0 || batch.length > 64) return { ok: false, reason: 'batch must be a string' };
  if (typeof circle !== 'string' || circle.length === 0 || circle.length > 64) return { ok: false, reason: 'circle must be a string' };
  if (encoding !== opsEncoding) return { ok: false, reason: `unknown encoding ${JSON.stringify(encoding)}` };
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > maxOpsPerEvent) return { ok: false, reason: 'count is out of range' };
  if (typeof ops !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(ops)) return { ok: false, reason: 'ops must be base64 text' };
  let list: unknown;
  try {
    const inflated = inflateRawSync(Buffer.from(ops, 'base64'), { maxOutputLength: maxInflatedBytes });
    list = JSON.parse(inflated.toString('utf8'));
  } catch (error) {
    const reason = error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'ops inflate beyond the size limit' : 'ops are not valid compressed JSON';
    return { ok: false, reason };
  }
  if (!isRecord(list)) return { ok: false, reason: 'ops must decode to an object' };
  const { actors, ops: entries } = list;
  if (!Array.isArray(actors) || actors.length > maxOpsPerEvent || !actors.every((a) => typeof a === 'string' && a.length <= 255)) {
    return { ok: false, reason: 'actors must be a list of strings' };
  }
  if (!Array.isArray(entries) || entries.length !== count) return { ok: false, reason: 'ops do not match count' };
  const decoded: unknown[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!Array.isArray(entry) || entry.length !== 6) return { ok: false, reason: `ops[${i}] must have 6 fields` };
    const [id, hlc, actorIndex, type, v, payload] = entry as unknown[];
    if (typeof actorIndex !== 'number' || !Number.isInteger(actorIndex) || actorIndex < 0 || actorIndex >= actors.length) {
      return { ok: false, reason: `ops[${i}] refers to an unknown actor` };
    }
    decoded.push({ id, hlc, actor: actors[actorIndex], circle, type, v, payload });
  }
  return { ok: true, batch, circle, ops: decoded };
}

/** The transaction id of a batch's event: stable, so a retry after a crash never duplicates. */
export function batchTxnId(batch: string): string {
  return `plenary.ops.${batch}`;
}

const sampleBatch = '0'.repeat(26);

/**
 * The longest prefix of `ops` whose encoded event stays within `limit` bytes. Compressed
 * size grows with the prefix, so it searches: doubling until a prefix no longer fits, then
 * bisecting. Only prefixes up to about twice the answer are ever compressed, which keeps
 * packing one event cheap even with tens of thousands of operations queued. Returns 0 when
 * even the first operation is too big.
 */
export function fittingPrefix(circle: string, ops: readonly Operation[], limit = maxOpsContentBytes): number {
  const fits = (n: number) => contentBytes(encodeOpsContent(sampleBatch, circle, ops.slice(0, n))) <= limit;
  const max = Math.min(ops.length, maxOpsPerEvent);
  if (max === 0 || !fits(1)) return 0;
  let lo = 1;
  let hi = 2;
  while (hi <= max && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi > max) {
    if (fits(max)) return max;
    hi = max;
  }
  // fits(lo) and !fits(hi)
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Splits operations (all of one circle, in upload order) into consecutive batches, each
 * within the size limit. Order is preserved and an operation never spans batches; one that
 * cannot fit any event is reported in `tooLarge`.
 */
export function packBatches(circle: string, ops: readonly Operation[], limit = maxOpsContentBytes): { batches: Operation[][]; tooLarge: Operation[] } {
  const batches: Operation[][] = [];
  const tooLarge: Operation[] = [];
  let rest = ops.slice();
  while (rest.length > 0) {
    const n = fittingPrefix(circle, rest, limit);
    if (n === 0) {
      tooLarge.push(rest[0]!);
      rest = rest.slice(1);
      continue;
    }
    batches.push(rest.slice(0, n));
    rest = rest.slice(n);
  }
  return { batches, tooLarge };
}
