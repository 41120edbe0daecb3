// A full disk or a data folder that turns read-only while a facilitator records: the change
// that could not be written is refused at once with storage_full or storage_read_only (the
// page translates both), nothing recorded before is lost, and recording goes on once space
// returns. Real file systems (tests/helpers/small-disk.ts), because the errors that matter
// come from the kernel, not from a stand-in.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/governance/ids';
import type { CircleDetail, ContributionPage } from '../../shared/governance/views';
import type { PlenaryErrorData } from '../../shared/errors';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { ext4Disk, tmpfsDisk, type SmallDisk } from '../helpers/small-disk';

let core: TestCore | null = null;
let disk: SmallDisk | null = null;

afterEach(() => {
  core?.close({ keepData: true });
  core = null;
  disk?.release();
  disk = null;
});

async function circle(test: TestCore): Promise<CircleDetail> {
  return test.call('governance.createCircle', { name: 'Technology operations', purpose: 'Servers', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' });
}

/** Logs one contribution with a description long enough that each one needs new space. */
async function logWork(test: TestCore, circleId: string, n: number): Promise<string> {
  const contributionId = newId();
  await test.call('governance.apply', {
    type: 'contribution.create',
    circle: circleId,
    payload: { contributionId, member: test.core.services.localActor, date: '2026-12-01', minutes: 30 + n, stream: 'care', description: `Answered support tickets, batch ${n}: ${'·'.repeat(600)}`, tags: ['support'] },
  });
  return contributionId;
}

async function recorded(test: TestCore, circleId: string): Promise<string[]> {
  const page = await test.call('governance.contributions', { filter: { circleId }, limit: 500, offset: 0 });
  return (page as ContributionPage).items.map((c) => c.id).sort();
}

/** Fills the file system with one file until it refuses another byte. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x2a);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('recording on a full disk', () => {
  it('refuses the change that does not fit with storage_full, keeps everything before it, and records again once space is freed', async () => {
    disk = tmpfsDisk(3 * 1024);
    const dataDir = join(disk.dir, 'plenary');
    core = startTestCore({ dataDir });
    const { id: circleId } = await circle(core);
    const saved: string[] = [];
    for (let n = 0; n < 10; n++) saved.push(await logWork(core, circleId, n));

    fill(join(disk.dir, 'filler'));
    let refused: { id: number; error: PlenaryErrorData } | null = null;
    // The write-ahead log may still have room for a few changes; the first one that needs
    // new space from the disk is the one refused.
    for (let n = 10; n < 1000 && !refused; n++) {
      try {
        saved.push(await logWork(core, circleId, n));
      } catch (error) {
        refused = { id: n, error: error as PlenaryErrorData };
      }
    }
    expect(refused, 'no change was refused on a full disk').not.toBeNull();
    expect(refused!.error).toMatchObject({ code: 'storage_full', params: { folder: dataDir } });
    expect(refused!.error.message).toMatch(/^governance\.apply was not saved: the disk holding .* is full/);
    expect(await recorded(core, circleId)).toEqual([...saved].sort());

    rmSync(join(disk.dir, 'filler'));
    saved.push(await logWork(core, circleId, 2000));
    expect(await recorded(core, circleId)).toEqual([...saved].sort());

    // After a restart, every change that was answered as saved is there, and the store is sound.
    core.close({ keepData: true });
    core = startTestCore({ dataDir });
    expect(core.core.state).toBe('ready');
    expect(await recorded(core, circleId)).toEqual([...saved].sort());
    expect(core.core.services.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('recording when the data folder turns read-only', () => {
  it('refuses the change with storage_read_only, and nothing recorded before is lost', async () => {
    const failing = ext4Disk(16);
    disk = failing;
    const dataDir = join(failing.dir, 'plenary');
    core = startTestCore({ dataDir });
    const { id: circleId } = await circle(core);
    const saved: string[] = [];
    for (let n = 0; n < 5; n++) saved.push(await logWork(core, circleId, n));

    failing.failReadOnly();
    let refusal: PlenaryErrorData | null = null;
    try {
      await logWork(core, circleId, 5);
    } catch (error) {
      refusal = error as PlenaryErrorData;
    }
    expect(refusal).toMatchObject({ code: 'storage_read_only', params: { folder: dataDir } });
    expect(refusal!.message).toContain('governance.apply was not saved');
    // The page still reads what was recorded.
    expect(await recorded(core, circleId)).toEqual([...saved].sort());

    // Started again on the read-only folder, Plenary says so instead of failing.
    core.close({ keepData: true });
    core = startTestCore({ dataDir });
    expect(core.core.state).toBe('recovery');
    expect(await core.call('data.status', {})).toMatchObject({ state: 'recovery', recovery: { problem: 'read_only', choices: ['retry', 'quit'] } });
    core.close({ keepData: true });
    core = null;

    // Once the disk is repaired, every change answered as saved is on it.
    failing.repair();
    const db = new Database(join(dataDir, 'plenary.sqlite'), { readonly: true });
    const ids = db.prepare("SELECT contribution_id FROM gov_contributions WHERE circle = ? ORDER BY contribution_id").pluck().all(circleId);
    db.close();
    expect(ids).toEqual([...saved].sort());
  });
});
