import type { Migration } from './types';

// Where each operation travelled, so the log can follow what happens to those events on the
// coop server (see governance-store.ts and README "How sync works"):
// - a redaction withdraws the operations of the event it redacts, on every replica: an
//   operation is withdrawn once every event known to carry it is withdrawn, and withdrawn
//   operations stay in the log (for the audit list) but are no longer folded or counted;
// - the server's receipt time (origin_server_ts) of those events is what lateness and the
//   order of a voter's ballots are judged by, as Element judges poll answers;
// - an operation whose clock is ahead of this computer's by more than the allowed drift is
//   held: it is in the log but not folded until this computer's clock reaches it.
export const migration: Migration = {
  id: '20261209T1100-op-events',
  up(db) {
    db.exec(`
      CREATE TABLE op_events (
        op_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        -- origin_server_ts, or NULL until this device has read the event back from the server
        -- (an upload knows the event id at once, its receipt time only after the next sync).
        server_ts INTEGER,
        -- 1: the event carries the operation (an operations event, or the poll event an
        -- Element operation derives from); 0: it only mirrors it for Element (a poll start,
        -- answer or end Plenary published for the operation).
        carries INTEGER NOT NULL,
        -- 1: Element sees the operation through this event (a poll event), so Element's
        -- counting uses its receipt time.
        poll INTEGER NOT NULL,
        PRIMARY KEY (op_id, event_id)
      ) WITHOUT ROWID;
      CREATE INDEX op_events_event ON op_events (event_id);

      -- Events withdrawn on the coop server (redacted), with who withdrew them and when: the
      -- audit list in Settings › Sync. A withdrawn poll start takes the answers and ends that
      -- refer to it with it (refers_to names the start for those).
      CREATE TABLE withdrawn_events (
        event_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        circle TEXT,
        sender TEXT NOT NULL DEFAULT '',
        event_type TEXT NOT NULL DEFAULT '',
        redacted_by TEXT NOT NULL,
        redaction_id TEXT NOT NULL,
        redacted_at INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        refers_to TEXT,
        -- Operations this device withdrew because of it (a replica that never had them: 0).
        operations INTEGER NOT NULL DEFAULT 0,
        recorded_at INTEGER NOT NULL
      );
      CREATE INDEX withdrawn_events_refers ON withdrawn_events (refers_to) WHERE refers_to IS NOT NULL;

      -- 1 once every event that carried the operation was withdrawn.
      ALTER TABLE ops ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
      -- When the operation may be folded in: NULL (now), or the wall-clock time at which it
      -- stops being ahead of this computer's clock.
      ALTER TABLE ops ADD COLUMN held_until INTEGER;
      -- The earliest receipt time of a live event carrying the operation, and of a live poll
      -- event showing it to Element (NULL: not known here, e.g. not uploaded yet).
      ALTER TABLE ops ADD COLUMN server_ts INTEGER;
      ALTER TABLE ops ADD COLUMN poll_ts INTEGER;
      CREATE INDEX ops_held ON ops (held_until) WHERE held_until IS NOT NULL;
      -- A vote's creates and closes, for when it closed on the server and whether it is a poll.
      CREATE INDEX ops_vote_lifecycle ON ops (circle, json_extract(payload, '$.voteId')) WHERE type IN ('vote.create', 'vote.close');
      CREATE INDEX ops_withdrawn ON ops (circle) WHERE withdrawn = 1;
    `);
  },
};
