// What the sync status leads with, and what a refusal from the coop server means: the pure
// decisions behind "never synced while something was refused" and "waiting, not an error".
import { describe, expect, it } from 'vitest';
import { syncStateOf } from '../../main/core/sync/sync-state';
import { firstRefusalRetryMs, maxRefusalRetryMs, refusalDismissable, refusalReason, refusalRetryAt, serverOf } from '../../main/core/sync/refusal-policy';
import { Refusals } from '../../main/core/sync/refusals';
import { openDatabase } from '../../main/core/store/database';
import { FakeClock } from '../../main/core/clock';
import { MatrixHttpError } from '../../main/core/matrix/matrix-connection';

describe('sync state', () => {
  const at = 1_800_000_000_000;

  it('never reads as synced while a refusal stands', () => {
    expect(syncStateOf({ phase: 'idle', waitingUntil: null, refused: 0 })).toBe('idle');
    expect(syncStateOf({ phase: 'idle', waitingUntil: null, refused: 1 })).toBe('refused');
  });

  it('reads as waiting, not as an error or as uploading, while a rate limit is waited out', () => {
    expect(syncStateOf({ phase: 'uploading', waitingUntil: at, refused: 0 })).toBe('waiting');
    expect(syncStateOf({ phase: 'uploading', waitingUntil: at, refused: 2 })).toBe('waiting');
    expect(syncStateOf({ phase: 'uploading', waitingUntil: null, refused: 0 })).toBe('uploading');
  });

  it('says why nothing moves before anything else', () => {
    expect(syncStateOf({ phase: 'signed-out', waitingUntil: null, refused: 3 })).toBe('signed-out');
    expect(syncStateOf({ phase: 'offline', waitingUntil: at, refused: 3 })).toBe('offline');
    expect(syncStateOf({ phase: 'error', waitingUntil: null, refused: 3 })).toBe('error');
  });
});

describe('refusal policy', () => {
  const http = (status: number, errcode: string) => ({ status, errcode });

  it('puts the server’s answer in the member’s terms', () => {
    expect(refusalReason('upload', http(403, 'M_FORBIDDEN'), false)).toBe('forbidden');
    expect(refusalReason('upload', http(404, 'M_NOT_FOUND'), false)).toBe('not_found');
    expect(refusalReason('poll', http(413, 'M_TOO_LARGE'), false)).toBe('too_large');
    expect(refusalReason('poll', http(400, 'M_BAD_JSON'), false)).toBe('invalid');
    expect(refusalReason('room', http(409, 'M_UNKNOWN'), false)).toBe('other');
    expect(refusalReason('power_levels', http(403, 'M_FORBIDDEN'), false)).toBe('forbidden');
  });

  it('blames the member’s own server when an invitation to another server is refused', () => {
    // Synapse: 403 "Federation denied with …" when it does not federate with that server, 502 when it cannot reach it.
    expect(refusalReason('invite', http(403, 'M_FORBIDDEN'), true)).toBe('other_server');
    expect(refusalReason('invite', http(502, 'M_UNKNOWN'), true)).toBe('other_server');
    expect(refusalReason('invite', http(403, 'M_FORBIDDEN'), false)).toBe('forbidden');
    expect(refusalReason('invite', http(404, 'M_NOT_FOUND'), true)).toBe('not_found');
  });

  it('retries only passing refusals by itself, from a minute up to six hours', () => {
    expect(refusalRetryAt(false, 1, 0)).toBeNull();
    expect(refusalRetryAt(true, 1, 0)).toBe(firstRefusalRetryMs);
    expect(refusalRetryAt(true, 3, 0)).toBe(4 * firstRefusalRetryMs);
    expect(refusalRetryAt(true, 40, 0)).toBe(maxRefusalRetryMs);
  });

  it('lets the member dismiss only what no other member needs', () => {
    expect(refusalDismissable('invite')).toBe(true);
    expect(refusalDismissable('power_levels')).toBe(true);
    expect(refusalDismissable('poll')).toBe(true);
    expect(refusalDismissable('upload')).toBe(false);
    expect(refusalDismissable('room')).toBe(false);
  });

  it('finds a member’s server, port included', () => {
    expect(serverOf('@dana:elsewhere.example')).toBe('elsewhere.example');
    expect(serverOf('@dana:127.0.0.1:8448')).toBe('127.0.0.1:8448');
  });
});

describe('refusals', () => {
  function setup() {
    const clock = new FakeClock(1_800_000_000_000);
    const refusals = new Refusals(openDatabase(':memory:'), () => clock.now());
    let changes = 0;
    refusals.onChange = () => changes++;
    return { clock, refusals, changes: () => changes };
  }
  const key = { kind: 'invite' as const, circle: 'C1', subject: '@dana:elsewhere.example' };

  it('keeps one row per refused thing, counting attempts, until it goes through', () => {
    const { clock, refusals, changes } = setup();
    refusals.record(key, new MatrixHttpError(403, 'M_FORBIDDEN', 'Federation denied with elsewhere.example.'), { transient: false, otherServer: true });
    clock.advance(1_000);
    const row = refusals.record(key, new MatrixHttpError(403, 'M_FORBIDDEN', 'Federation denied with elsewhere.example.'), { transient: false, otherServer: true });
    expect(row).toMatchObject({ reason: 'other_server', attempts: 2, retry_at: null, message: 'Federation denied with elsewhere.example.' });
    expect(row.last_at - row.first_at).toBe(1_000);
    expect(refusals.count()).toBe(1);
    expect(refusals.holds(key)).toBe(true);
    refusals.clear(key);
    expect(refusals.count()).toBe(0);
    expect(changes()).toBe(3);
  });

  it('holds a permanent refusal until the member retries it; a passing one until its time comes', () => {
    const { clock, refusals } = setup();
    const permanent = refusals.record(key, new MatrixHttpError(403, 'M_FORBIDDEN', 'no'), { transient: false, otherServer: true });
    const passingKey = { ...key, subject: '@erin:far.example' };
    refusals.record(passingKey, new MatrixHttpError(502, 'M_UNKNOWN', "Can't connect to server far.example"), { transient: true, otherServer: true });
    expect(refusals.nextRetryAt()).toBe(clock.now() + firstRefusalRetryMs);
    expect(refusals.due('invite')).toEqual([]);
    clock.advance(firstRefusalRetryMs);
    expect(refusals.due('invite').map((r) => r.subject)).toEqual(['@erin:far.example']);
    expect(refusals.holds(passingKey)).toBe(false);
    expect(refusals.holds(key)).toBe(true);
    refusals.retry(permanent.id);
    expect(refusals.holds(key)).toBe(false);
  });
});
