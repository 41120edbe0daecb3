// !log messages read by governance sync (main/core/sync/log-command.ts), on one replica with
// no server: the sender's entry derived from the message, a replay folding nothing new,
// refusals (a non-member, 30 hours, an edit), the one answering replica, a redaction taking
// the entry back, and a !log outside circle rooms left alone.
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/governance/ids';
import type { Operation } from '../../shared/governance/operation';
import { t0 } from '../helpers/governance';
import { inboundFixture, type InboundFixture } from '../helpers/inbound-fixture';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { dayIn } from '../../main/core/sync/log-command';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';

const fran = '@fran:meet.coop';
const yan = '@yan:meet.coop';
const zed = '@zed:meet.coop';
const circle = newId(t0);
const roomId = '!circle:meet.coop';

const ops = (sender: string, list: Omit<Operation, 'id' | 'hlc' | 'circle' | 'v' | 'actor'>[], ts: number, id: string): MatrixRawEvent => ({
  event_id: id,
  type: opsEventType,
  sender,
  origin_server_ts: ts,
  content: encodeOpsContent(
    newId(ts),
    circle,
    list.map((op, i) => ({ ...op, id: newId(ts), hlc: `${ts}-00000${i}-fran`, actor: sender, circle, v: 1 }) as Operation),
  ) as unknown as Record<string, unknown>,
});

const message = (id: string, sender: string, body: string, ts: number, extra: Record<string, unknown> = {}): MatrixRawEvent => ({
  event_id: id,
  type: 'm.room.message',
  sender,
  origin_server_ts: ts,
  content: { msgtype: 'm.text', body, ...extra },
});

function sync(room: string, events: MatrixRawEvent[], withState = false): SyncResponse {
  const state = withState
    ? [
        { event_id: '$create', type: 'm.room.create', state_key: '', sender: fran, origin_server_ts: t0, content: { room_version: '12' } },
        { event_id: '$levels', type: 'm.room.power_levels', state_key: '', sender: fran, origin_server_ts: t0, content: { users: { [fran]: 50 }, users_default: 0 } },
      ]
    : [];
  return { next_batch: 's', rooms: { join: { [room]: { state: { events: state }, timeline: { events } } } } };
}

const entries = (f: InboundFixture) => f.db.prepare('SELECT member, minutes, stream, description, date FROM gov_contributions WHERE created_v IS NOT NULL ORDER BY date, minutes').all();
const answered = (f: InboundFixture) => f.db.prepare('SELECT event_id FROM sync_log_replies ORDER BY event_id').pluck().all();

async function circleReplica(self: string, now = t0 + 60_000) {
  const f = inboundFixture({ self, now });
  f.rooms.remember(circle, roomId);
  await f.inbound.onSync(
    sync(
      roomId,
      [
        ops(
          fran,
          [
            { type: 'circle.create', payload: { name: 'Care', purpose: '', timezone: 'UTC' } },
            { type: 'circle.member.set', payload: { member: fran, displayName: 'Fran', role: 'facilitator', timezone: 'UTC' } },
            { type: 'circle.member.set', payload: { member: yan, displayName: 'Yan', role: 'member', timezone: 'Pacific/Kiritimati' } },
          ],
          t0,
          '$ops',
        ),
      ],
      true,
    ),
  );
  return f;
}

describe('!log read by sync', () => {
  it('logs the sender’s work once, however often the message is read', async () => {
    // 20:00 UTC is 10:00 the next day where Yan lives (UTC+14).
    const at = t0 + 11 * 3600_000;
    const f = await circleReplica(fran, at + 60_000);
    const log = message('$log1', yan, '!log 1h30 care docs', at);
    await f.inbound.onSync(sync(roomId, [log]));
    await f.inbound.onSync(sync(roomId, [log]));
    // Dated in Yan's time zone (UTC+14): already the next day there.
    expect(entries(f)).toEqual([{ member: yan, minutes: 90, stream: 'care', description: 'docs', date: '2026-11-23' }]);
    expect(dayIn(at, 'UTC')).toBe('2026-11-22');
    // Fran is the circle's facilitator: her replica answers, once.
    expect(answered(f)).toEqual(['$log1']);
    expect(f.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBe(0);
  });

  it('refuses a non-member, 30 hours and an edit, logging nothing', async () => {
    const f = await circleReplica(fran);
    await f.inbound.onSync(
      sync(roomId, [
        message('$zed', zed, '!log 2h care sneaky', t0 + 1000),
        message('$long', yan, '!log 30h care marathon', t0 + 2000),
        message('$edit', yan, '* !log 9h care docs', t0 + 3000, { 'm.new_content': { msgtype: 'm.text', body: '!log 9h care docs' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$long' } }),
        message('$chat', yan, 'I will !log it later', t0 + 4000),
      ]),
    );
    expect(entries(f)).toEqual([]);
    // Refusals are answered too (an edit and chat are not commands).
    expect(answered(f)).toEqual(['$long', '$zed']);
  });

  it('answers only from the first facilitator’s replica, and not a message already answered in the room', async () => {
    const yans = await circleReplica(yan);
    await yans.inbound.onSync(sync(roomId, [message('$log1', yan, '!log 1h care docs', t0 + 1000)]));
    expect(entries(yans)).toHaveLength(1);
    expect(answered(yans)).toEqual([]);
    const frans = await circleReplica(fran);
    const answer: MatrixRawEvent = { event_id: '$answer', type: 'm.room.message', sender: fran, origin_server_ts: t0 + 1500, content: { msgtype: 'm.notice', body: 'Yan: logged', 'coop.meet.plenary.log_answer': { event_id: '$log1' } } };
    await frans.inbound.onSync(sync(roomId, [message('$log1', yan, '!log 1h care docs', t0 + 1000), answer]));
    // Recorded as answered by the answer it read, not by a second answer of its own.
    expect(frans.db.prepare('SELECT answered_by FROM sync_log_replies').pluck().all()).toEqual([fran]);
  });

  it('gives the next facilitator’s replica its turn when the first has not answered', async () => {
    let now = t0 + 60_000;
    const f = inboundFixture({ self: '@gus:meet.coop', now: () => now });
    f.rooms.remember(circle, roomId);
    const levels = { event_id: '$levels', type: 'm.room.power_levels', state_key: '', sender: fran, origin_server_ts: t0, content: { users: { [fran]: 50, '@gus:meet.coop': 50 }, users_default: 0 } };
    await f.inbound.onSync({
      next_batch: 's',
      rooms: {
        join: {
          [roomId]: {
            state: { events: [{ event_id: '$create', type: 'm.room.create', state_key: '', sender: fran, origin_server_ts: t0, content: { room_version: '12' } }, levels] },
            timeline: {
              events: [
                ops(
                  fran,
                  [
                    { type: 'circle.create', payload: { name: 'Care', purpose: '', timezone: 'UTC' } },
                    { type: 'circle.member.set', payload: { member: fran, displayName: 'Fran', role: 'facilitator', timezone: 'UTC' } },
                    { type: 'circle.member.set', payload: { member: '@gus:meet.coop', displayName: 'Gus', role: 'facilitator', timezone: 'UTC' } },
                    { type: 'circle.member.set', payload: { member: yan, displayName: 'Yan', role: 'member', timezone: 'UTC' } },
                  ],
                  t0,
                  '$ops',
                ),
              ],
            },
          },
        },
      },
    });
    // Fran sorts first; Gus's replica waits its turn.
    await f.inbound.onSync(sync(roomId, [message('$a', yan, '!log 1h care a', t0 + 1000), message('$b', yan, '!log 1h care b', t0 + 2000)]));
    expect(answered(f)).toEqual([]);
    // Fran's answer to the first arrives; five minutes on, Gus answers only the second.
    await f.inbound.onSync(sync(roomId, [{ event_id: '$fa', type: 'm.room.message', sender: fran, origin_server_ts: t0 + 3000, content: { msgtype: 'm.notice', body: 'Yan: logged', 'coop.meet.plenary.log_answer': { event_id: '$a' } } }]));
    now = t0 + 2000 + 5 * 60_000;
    await f.inbound.onSync(sync(roomId, []));
    expect(f.db.prepare('SELECT event_id, answered_by FROM sync_log_replies ORDER BY event_id').all()).toEqual([
      { event_id: '$a', answered_by: fran },
      { event_id: '$b', answered_by: '@gus:meet.coop' },
    ]);
    expect(entries(f)).toHaveLength(2);
  });

  it('takes the entry back when the message is redacted', async () => {
    const f = await circleReplica(fran);
    await f.inbound.onSync(sync(roomId, [message('$log1', yan, '!log 1h care docs', t0 + 1000)]));
    expect(entries(f)).toHaveLength(1);
    await f.inbound.onSync(sync(roomId, [{ event_id: '$redact', type: 'm.room.redaction', sender: yan, origin_server_ts: t0 + 2000, redacts: '$log1', content: { redacts: '$log1' } } as MatrixRawEvent]));
    expect(entries(f)).toEqual([]);
  });

  it('leaves a !log outside circle rooms to chat', async () => {
    const f = await circleReplica(fran);
    await f.inbound.onSync(sync('!elsewhere:meet.coop', [message('$dm', yan, '!log 1h care docs', t0 + 1000)]));
    expect(entries(f)).toEqual([]);
    expect(f.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBe(0);
  });
});
