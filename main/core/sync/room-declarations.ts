// Decides, for invitations and rooms found through sync, whether a room claiming to be a
// circle's room is bound to that circle (room-declaration-rule.ts), gathering the facts the
// rule needs from this replica and the coop server. A room refused is neither joined nor
// bound, and kept in sync_room_notices so the member is told who invited them and why
// Plenary did not follow (Settings › Sync).
import type { Db } from '../store/database';
import type { Logger } from '../log';
import { MatrixHttpError, type MatrixConnection, type MatrixRawEvent } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import type { RoomNotice } from '../../../shared/contract/sync';
import { circleAliasLocalpart, circleMarkerType, type CircleRooms } from './circle-rooms';
import type { GovernanceReads } from './governance-reads';
import { parsePowerLevels } from './power-levels';
import { memberPower } from './room-power';
import { serverOf } from './refusal-policy';
import { judgeRoomDeclaration, type RoomDeclarationRefusal, type RoomDeclarationVerdict } from './room-declaration-rule';

/** What a room's m.room.create (or an invitation's stripped copy of it) says about it. */
export interface RoomClaim {
  roomId: string;
  circle: string;
  creator: string;
  inviter: string;
  name: string | null;
}

interface StateEvent {
  type: string;
  state_key?: string;
  sender?: string;
  content?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The circle a room claims to carry, from its m.room.create and the events around it; null when it claims none. */
export function roomClaim(roomId: string, events: readonly unknown[], me: string | null): RoomClaim | null {
  const state = events.filter((e): e is StateEvent => isRecord(e) && typeof e.type === 'string');
  const create = state.find((e) => e.type === 'm.room.create' && (e.state_key ?? '') === '');
  const content = isRecord(create?.content) ? create.content : {};
  const circle = content[circleMarkerType];
  if (typeof circle !== 'string' || circle.length === 0 || circle.length > 64 || typeof create?.sender !== 'string') return null;
  const invite = state.find((e) => e.type === 'm.room.member' && me !== null && e.state_key === me);
  const name = state.find((e) => e.type === 'm.room.name');
  return {
    roomId,
    circle,
    creator: create.sender,
    inviter: typeof invite?.sender === 'string' ? invite.sender : '',
    name: isRecord(name?.content) && typeof name.content.name === 'string' ? name.content.name.slice(0, 200) : null,
  };
}

export class RoomDeclarations {
  /** Told when the list of notices changes. */
  onChange: () => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly connection: Pick<MatrixConnection, 'request' | 'session'>,
    private readonly rooms: CircleRooms,
    private readonly reads: GovernanceReads,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Whether the member was already told about this room (it is not judged again). */
  noticed(roomId: string): boolean {
    return this.db.prepare('SELECT 1 FROM sync_room_notices WHERE room_id = ?').get(roomId) !== undefined;
  }

  /**
   * Judges a claim; binds the room when it is declared (for an invitation, once `join`
   * succeeded: a room is bound only when this member is in it) or keeps a notice when it is
   * not. A join that fails leaves it unbound; joined later (in Element, say), it is judged again.
   */
  async judge(claim: RoomClaim, join?: () => Promise<boolean>): Promise<RoomDeclarationVerdict> {
    const verdict = await judgeRoomDeclaration({
      roomId: claim.roomId,
      roomCreator: claim.creator,
      boundRoom: this.rooms.roomOf(claim.circle),
      circle: this.circleFacts(claim.circle),
      listedInSpace: () => this.listedInSpace(claim.roomId),
      addressedRoom: () => this.addressedRoom(claim),
    });
    if (!verdict.ok) {
      this.notice(claim, verdict.reason);
      return verdict;
    }
    if (join && !(await join())) return verdict;
    this.rooms.remember(claim.circle, claim.roomId);
    return verdict;
  }

  private circleFacts(circle: string): { creator: string | null; facilitators: string[] } | null {
    const facts = this.reads.circle(circle);
    return facts ? { creator: facts.createdBy, facilitators: facts.members.filter((m) => m.role === 'facilitator').map((m) => m.member) } : null;
  }

  /** The room #plenary.circle.<id>:<server> names, asked only when the room's creator is on this member's server. */
  private async addressedRoom(claim: RoomClaim): Promise<string | null> {
    const self = this.connection.session()?.userId;
    const server = self ? serverOf(self) : '';
    if (!server || serverOf(claim.creator) !== server) return null;
    try {
      const found = await this.connection.request<{ room_id?: unknown }>('GET', `/_matrix/client/v3/directory/room/${seg(`#${circleAliasLocalpart(claim.circle)}:${server}`)}`);
      return typeof found.room_id === 'string' ? found.room_id : null;
    } catch (error) {
      // No such address (404), or one the server will not tell (another 4xx): it names nothing.
      // Passing failures propagate, so the sync batch is read again.
      if (error instanceof MatrixHttpError && error.status >= 400 && error.status < 500 && error.status !== 429) return null;
      throw error;
    }
  }

  /** Whether the coop space lists the room, listed by someone who may list rooms there now. */
  private async listedInSpace(roomId: string): Promise<boolean> {
    const space = (this.db.prepare("SELECT value FROM meta WHERE key = 'sync_space_id'").get() as { value: string } | undefined)?.value;
    if (!space) return false;
    let state: StateEvent[];
    try {
      state = await this.connection.request<StateEvent[]>('GET', `/_matrix/client/v3/rooms/${seg(space)}/state`);
    } catch (error) {
      // Not in the space (or it is gone): it cannot vouch for anything.
      if (error instanceof MatrixHttpError && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
      throw error;
    }
    if (!Array.isArray(state)) return false;
    const child = state.find((e) => e.type === 'm.space.child' && e.state_key === roomId);
    if (!child || typeof child.sender !== 'string' || !isRecord(child.content) || !Array.isArray(child.content.via) || child.content.via.length === 0) return false;
    const create = state.find((e) => e.type === 'm.room.create');
    const levels = parsePowerLevels(state.find((e) => e.type === 'm.room.power_levels')?.content);
    const power = { create: create && typeof create.sender === 'string' ? { sender: create.sender, content: isRecord(create.content) ? create.content : {} } : null, powerLevels: levels };
    const needed = levels.events?.['m.space.child'] ?? levels.state_default ?? 50;
    return memberPower(power, child.sender).level >= needed;
  }

  private notice(claim: RoomClaim, reason: RoomDeclarationRefusal): void {
    const added = this.db
      .prepare('INSERT OR IGNORE INTO sync_room_notices (room_id, circle, room_creator, inviter, room_name, reason, noticed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(claim.roomId, claim.circle, claim.creator, claim.inviter, claim.name, reason, this.now()).changes;
    if (added === 0) return;
    this.log.warn('did not join a room claiming to be a circle room', { roomId: claim.roomId, circle: claim.circle, creator: claim.creator, reason });
    this.onChange();
  }

  /** Rooms the member was told about and has not dismissed, newest first. */
  list(): RoomNotice[] {
    const rows = this.db.prepare('SELECT * FROM sync_room_notices WHERE dismissed = 0 ORDER BY noticed_at DESC, room_id').all() as {
      room_id: string;
      circle: string;
      room_creator: string;
      inviter: string;
      room_name: string | null;
      reason: RoomDeclarationRefusal;
      noticed_at: number;
    }[];
    return rows.map((r) => ({
      roomId: r.room_id,
      circleId: r.circle,
      circleName: this.reads.circle(r.circle)?.name ?? null,
      roomName: r.room_name,
      roomCreator: r.room_creator,
      inviter: r.inviter || null,
      reason: r.reason,
      noticedAt: r.noticed_at,
    }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_room_notices WHERE dismissed = 0').get() as { n: number }).n;
  }

  /** The member has read it; it stays recorded so the room is not judged again. */
  dismiss(roomId: string): boolean {
    const changed = this.db.prepare('UPDATE sync_room_notices SET dismissed = 1 WHERE room_id = ? AND dismissed = 0').run(roomId).changes > 0;
    if (changed) this.onChange();
    return changed;
  }
}

/** The claim a joined room makes, from the events sync delivered for it or the state it kept. */
export function joinedRoomClaim(db: Db, roomId: string, events: readonly MatrixRawEvent[]): RoomClaim | null {
  const fromSync = roomClaim(roomId, events, null);
  if (fromSync) return fromSync;
  const stored = db.prepare("SELECT sender, content_json FROM sync_room_state WHERE room_id = ? AND type = 'm.room.create' AND state_key = ''").get(roomId) as
    | { sender: string; content_json: string }
    | undefined;
  return stored ? roomClaim(roomId, [{ type: 'm.room.create', state_key: '', sender: stored.sender, content: JSON.parse(stored.content_json) as unknown }], null) : null;
}
