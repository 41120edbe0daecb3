import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../../main/core/sync/canonical-json';
import { deflateRawSync } from 'node:zlib';
import { batchTxnId, contentBytes, decodeOpsContent, encodeOpsContent, maxOpsContentBytes, packBatches } from '../../main/core/sync/ops-event';
import type { Operation } from '../../shared/governance/operation';

const circle = '01JCIRCLE0000000000000000A';

function op(i: number, actor = '@alice:meet.coop', text = 'x'): Operation {
  return {
    id: `01J${String(i).padStart(23, '0')}`,
    hlc: `${String(1795000000000 + i).padStart(13, '0')}-000000-node1`,
    actor,
    circle,
    type: 'contribution.create',
    payload: { contributionId: `01K${String(i).padStart(23, '0')}`, minutes: 30, description: text },
    v: 1,
  };
}

describe('operations event encoding', () => {
  it('round-trips operations, factoring out circle and actors', () => {
    const ops = [op(1), op(2, '@bob:meet.coop'), op(3)];
    const content = encodeOpsContent('01JBATCH000000000000000000', circle, ops);
    expect(content).toMatchObject({ v: 1, batch: '01JBATCH000000000000000000', circle, count: 3, encoding: 'deflate-base64' });
    const decoded = decodeOpsContent(JSON.parse(canonicalJson(content)));
    expect(decoded).toEqual({ ok: true, batch: '01JBATCH000000000000000000', circle, ops });
  });

  it('refuses to mix circles in one event, and floats anywhere', () => {
    expect(() => encodeOpsContent('b', circle, [{ ...op(1), circle: '01JOTHER000000000000000000' }])).toThrow('belongs to circle');
    expect(() => encodeOpsContent('b', circle, [{ ...op(1), payload: { minutes: 1.5 } }])).toThrow('integers only');
  });

  const packed = (list: unknown) => deflateRawSync(Buffer.from(JSON.stringify(list))).toString('base64');
  const base = { v: 1, batch: 'b', circle, count: 1, encoding: 'deflate-base64' };

  it.each([
    [null, 'content is not an object'],
    [{ ...base, v: 2, ops: '' }, 'unknown encoding version 2'],
    [{ ...base, batch: 7, ops: '' }, 'batch must be a string'],
    [{ ...base, encoding: 'gzip', ops: '' }, 'unknown encoding "gzip"'],
    [{ ...base, count: -1, ops: '' }, 'count is out of range'],
    [{ ...base, count: 1.5, ops: '' }, 'count is out of range'],
    [{ ...base, ops: 'not base64!' }, 'ops must be base64 text'],
    [{ ...base, ops: Buffer.from('plain text').toString('base64') }, 'ops are not valid compressed JSON'],
    [{ ...base, ops: packed([1]) }, 'ops must decode to an object'],
    [{ ...base, ops: packed({ actors: [1], ops: [] }) }, 'actors must be a list of strings'],
    [{ ...base, ops: packed({ actors: [], ops: [] }) }, 'ops do not match count'],
    [{ ...base, ops: packed({ actors: ['@a:b'], ops: [[1, 2]] }) }, 'ops[0] must have 6 fields'],
    [{ ...base, ops: packed({ actors: ['@a:b'], ops: [['i', 'h', 5, 't', 1, {}]] }) }, 'ops[0] refers to an unknown actor'],
  ])('reports malformed content %#', (content, reason) => {
    expect(decodeOpsContent(content)).toEqual({ ok: false, reason });
  });

  it('refuses a compression bomb', () => {
    const bomb = deflateRawSync(Buffer.alloc(40 * 1024 * 1024, 0x20)).toString('base64');
    expect(bomb.length).toBeLessThan(maxOpsContentBytes);
    expect(decodeOpsContent({ ...base, ops: bomb })).toEqual({ ok: false, reason: 'ops inflate beyond the size limit' });
  });

  it('derives a stable transaction id from the batch', () => {
    expect(batchTxnId('01JBATCH')).toBe('plenary.ops.01JBATCH');
  });

  it('packs batches in order, each within the size limit and as full as possible', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.string({ maxLength: 3000, unit: 'binary' })), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1000, max: 20_000 }),
        (specs, limit) => {
          const actors = ['@alice:meet.coop', '@bob:meet.coop', '@chidi:example.org', '@дарья:meet.coop'];
          const ops = specs.map(([a, text], i) => op(i, actors[a]!, text));
          const { batches, tooLarge } = packBatches(circle, ops, limit);
          expect([...batches.flat(), ...tooLarge].map((o) => o.id).sort()).toEqual(ops.map((o) => o.id).sort());
          expect(batches.flat().map((o) => o.id)).toEqual(ops.filter((o) => !tooLarge.includes(o)).map((o) => o.id));
          for (const [i, batch] of batches.entries()) {
            expect(contentBytes(encodeOpsContent('0'.repeat(26), circle, batch))).toBeLessThanOrEqual(limit);
            const next = batches[i + 1]?.[0];
            if (next) expect(contentBytes(encodeOpsContent('0'.repeat(26), circle, [...batch, next]))).toBeGreaterThan(limit);
          }
          for (const big of tooLarge) expect(contentBytes(encodeOpsContent('0'.repeat(26), circle, [big]))).toBeGreaterThan(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('fits a thousand typical operations in one event', () => {
    const ops = Array.from({ length: 3000 }, (_, i) => op(i, '@alice:meet.coop', 'Prepared the agenda'));
    const { batches } = packBatches(circle, ops);
    expect(batches[0]!.length).toBeGreaterThan(1000);
  });
});
