// Each circle is a Matrix room (also its chat room); the coop is a Matrix space holding
// them. A circle created offline gets its room on the first upload. Room creation is made
// idempotent with a room alias derived from the circle id: if a crash hid the first
// attempt's answer, the retry finds the room by its alias instead of creating a second one.
//
// Members are invited as the room is created only when they are on the coop's own server:
// an invitation to another server can be refused (Synapse answers 403 when it does not
// federate with that server), and a refused invitation would fail the whole creation after
// the room exists. Members on other servers are invited one by one afterwards, and each
// refusal is kept (Refusals) naming the member and the circle.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import { MatrixHttpError } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import type { GovernanceReads } from './governance-reads';
import type { SyncConnection } from './rate-limit-gate';
import type { Refusals } from './refusals';
import { classifyFailure } from './retry-policy';
import { serverOf } from './refusal-policy';
import { facilitatorPowerLevel, parsePowerLevels, roomCreators, type PowerLevels } from './power-levels';
import { mayGrantLevel, memberPower } from './room-power';

/** What bringing a room's power levels in line with its circle came to. */
export type PowerLevelsOutcome = 'updated' | 'unchanged' | 'not-allowed' | 'refused';

/** State event marking a room as a circle's room; also a key of its m.room.create content. */
export const circleMarkerType = 'coop.meet.plenary.circle';
export const spaceMarkerKey = 'coop.meet.plenary.space';

export function circleAliasLocalpart(circle: string): string {
  return `plenary.circle.${circle.toLowerCase()}`;
}

export const spaceAliasLocalpart = 'plenary.coop';

const isMatrixUser = (id: string) => id.startsWith('@');

/** Raised when a circle's room cannot be known yet (created elsewhere, not synced here yet). */
export class RoomNotKnownYetError extends Error {
  constructor(circle: string) {
    super(`The room of circle ${circle} is not known on this device yet; it appears after the next sync`);
    this.name = 'RoomNotKnownYetError';
  }
}

export class CircleRooms {
  /** Invitations owed after operations went up or a room was created, sent by settleMembers(). */
  private readonly owed = new Map<string, Set<string>>();
  /** Members invited as this device created the circle's room, so they are not invited twice. */
  private readonly invitedWithRoom = new Map<string, Set<string>>();

  constructor(
    private readonly db: Db,
    private readonly connection: Pick<SyncConnection, 'request' | 'session'>,
    private readonly reads: GovernanceReads,
    private readonly refusals: Refusals,
    private readonly log: Logger,
    /** Whether new circle rooms are created encrypted (coop.json matrix.encryptCircleRooms). */
    private readonly encrypt: () => boolean = () => false,
    /** Shares an encrypted room's key history with a member about to be invited (MSC4268). */
    private readonly shareHistory: (roomId: string, member: string) => Promise<unknown> = () => Promise.resolve(0),
  ) {}

  roomOf(circle: string): string | null {
    return (this.db.prepare('SELECT room_id FROM sync_circle_rooms WHERE circle = ?').get(circle) as { room_id: string } | undefined)?.room_id ?? null;
  }

  circleOf(roomId: string): string | null {
    return (this.db.prepare('SELECT circle FROM sync_circle_rooms WHERE room_id = ?').get(roomId) as { circle: string } | undefined)?.circle ?? null;
  }

  remember(circle: string, roomId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO sync_circle_rooms (circle, room_id) VALUES (?, ?)').run(circle, roomId);
  }

  /** The circle's room, creating it (and the coop space) when this device made the circle. */
  async roomFor(circle: string): Promise<string> {
    const known = this.roomOf(circle);
    if (known) return known;
    const facts = this.reads.circle(circle);
    const self = this.connection.session()?.userId;
    if (!facts || !self) throw new RoomNotKnownYetError(circle);
    const server = self.slice(self.indexOf(':') + 1);
    const alias = `#${circleAliasLocalpart(circle)}:${server}`;
    let roomId: string;
    const invited = new Set(facts.members.map((m) => m.member).filter((m) => isMatrixUser(m) && m !== self && serverOf(m) === server));
    try {
      const spaceId = await this.ensureSpace(server);
      // The creator's own power comes with creating the room (and room versions 12+ refuse
      // to list the creator in `users`), so only facilitators are listed.
      const users: Record<string, number> = {};
      for (const m of facts.members) if (isMatrixUser(m.member) && m.member !== self && m.role === 'facilitator') users[m.member] = facilitatorPowerLevel;
      const created = await this.connection.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
        body: {
          name: facts.name,
          topic: facts.purpose,
          preset: 'private_chat',
          room_alias_name: circleAliasLocalpart(circle),
          creation_content: { [circleMarkerType]: circle },
          initial_state: [
            { type: circleMarkerType, state_key: '', content: { circle } },
            // Members added later may read what came before: a circle's state is its whole room.
            // In an encrypted room this also marks its room keys as shareable with them (MSC4268).
            { type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'shared' } },
            // coop.json matrix.encryptCircleRooms: the room's chat and governance are end-to-end encrypted.
            ...(this.encrypt() ? [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] : []),
            ...(spaceId ? [{ type: 'm.space.parent', state_key: spaceId, content: { via: [server], canonical: true } }] : []),
          ],
          // Invitations made here cost no message of the rate limit, unlike one by one.
          invite: [...invited],
          power_level_content_override: { users },
        },
      });
      roomId = created.room_id;
      // Bound at once: sync may read the new room before the space listing below returns.
      this.remember(circle, roomId);
      this.invitedWithRoom.set(circle, invited);
      if (spaceId) await this.addToSpace(spaceId, roomId, server);
    } catch (error) {
      if (!(error instanceof MatrixHttpError && error.errcode === 'M_ROOM_IN_USE')) throw error;
      // The alias exists: an earlier attempt created the room. Find it and make sure we are in it.
      const found = await this.connection.request<{ room_id: string }>('GET', `/_matrix/client/v3/directory/room/${seg(alias)}`);
      roomId = found.room_id;
      await this.connection.request('POST', `/_matrix/client/v3/join/${seg(roomId)}`, { body: {} });
    }
    this.remember(circle, roomId);
    const elsewhere = facts.members.map((m) => m.member).filter((m) => isMatrixUser(m) && m !== self && serverOf(m) !== server);
    if (elsewhere.length > 0) this.oweInvites(circle, elsewhere);
    this.log.info('circle room ready', { circle, roomId });
    return roomId;
  }

  /** The coop's space: one per homeserver, found or created through its alias. Failure is not fatal. */
  private async ensureSpace(server: string): Promise<string | null> {
    const stored = this.db.prepare("SELECT value FROM meta WHERE key = 'sync_space_id'").get() as { value: string } | undefined;
    if (stored) return stored.value;
    const alias = `#${spaceAliasLocalpart}:${server}`;
    let spaceId: string;
    try {
      const created = await this.connection.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
        body: {
          name: 'Coop',
          preset: 'public_chat',
          room_alias_name: spaceAliasLocalpart,
          creation_content: { type: 'm.space', [spaceMarkerKey]: true },
          power_level_content_override: { events_default: 100, invite: 0 },
        },
      });
      spaceId = created.room_id;
    } catch (error) {
      if (!(error instanceof MatrixHttpError && error.errcode === 'M_ROOM_IN_USE')) {
        this.log.warn('could not create the coop space; circles work without it', { reason: (error as Error).message });
        return null;
      }
      spaceId = (await this.connection.request<{ room_id: string }>('GET', `/_matrix/client/v3/directory/room/${seg(alias)}`)).room_id;
      try {
        await this.connection.request('POST', `/_matrix/client/v3/join/${seg(spaceId)}`, { body: {} });
      } catch (joinError) {
        this.log.warn('could not join the coop space', { reason: (joinError as Error).message });
      }
    }
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('sync_space_id', ?)").run(spaceId);
    return spaceId;
  }

  private async addToSpace(spaceId: string, roomId: string, server: string): Promise<void> {
    try {
      await this.connection.request('PUT', `/_matrix/client/v3/rooms/${seg(spaceId)}/state/m.space.child/${seg(roomId)}`, { body: { via: [server] } });
    } catch (error) {
      // Only members with enough power in the space may add children; the circle still works.
      this.log.info('could not list the circle in the coop space', { roomId, reason: (error as Error).message });
    }
  }

  /** Members to invite to the circle's room at the next settleMembers() (just added, or on another server). */
  oweInvites(circle: string, members: Iterable<string>): void {
    const owed = this.owed.get(circle) ?? new Set<string>();
    const invited = this.invitedWithRoom.get(circle);
    for (const member of members) if (!invited?.has(member)) owed.add(member);
    // Kept even when empty: a member removed still means power levels to bring in line.
    this.owed.set(circle, owed);
  }

  /** Circles whose room may need bringing in line: invitations owed, or power levels to retry. */
  circlesToSettle(): string[] {
    return [...new Set([...this.owed.keys(), ...this.refusals.due('invite').map((r) => r.circle), ...this.refusals.due('power_levels').map((r) => r.circle)])];
  }

  /**
   * Brings the room in line with the circle: invites the members owed an invitation (and
   * those whose refused invitation is due again), gives facilitators power level 50 and
   * takes it from members who no longer facilitate. What the server refuses is recorded;
   * failures that are not refusals (offline, signed out) propagate and the work stays owed.
   */
  async settleMembers(circle: string): Promise<void> {
    const roomId = this.roomOf(circle);
    const facts = this.reads.circle(circle);
    const self = this.connection.session()?.userId;
    if (!roomId || !facts || !self) return;
    const owed = this.owed.get(circle) ?? new Set<string>();
    for (const due of this.refusals.due('invite')) if (due.circle === circle) owed.add(due.subject);
    const current = new Set(facts.members.map((m) => m.member));
    for (const member of [...owed]) {
      // A member removed since is not invited; a refusal about them no longer matters.
      if (isMatrixUser(member) && member !== self && current.has(member)) await this.invite(circle, roomId, member);
      else this.refusals.clear({ kind: 'invite', circle, subject: member });
      owed.delete(member);
    }
    this.owed.delete(circle);
    // Only the run that made the room skips them: someone removed and added again later is invited.
    this.invitedWithRoom.delete(circle);
    await this.reconcilePowerLevels(circle, roomId, facts, self);
  }

  private async invite(circle: string, roomId: string, member: string): Promise<void> {
    const key = { kind: 'invite' as const, circle, subject: member };
    if (this.refusals.holds(key)) return;
    const self = this.connection.session()?.userId ?? '';
    const otherServer = serverOf(member) !== serverOf(self);
    // Before the invitation, as Element does: the bundle's details then reach the member's
    // devices no later than the invitation does. It never stops the invitation.
    await Promise.resolve()
      .then(() => this.shareHistory(roomId, member))
      .catch((error: unknown) =>
        this.log.warn('the circle room’s key history could not be shared with an invited member', { circle, member, reason: error instanceof Error ? error.message : String(error) }),
      );
    try {
      await this.connection.request('POST', `/_matrix/client/v3/rooms/${seg(roomId)}/invite`, { body: { user_id: member } });
      this.refusals.clear(key);
    } catch (error) {
      const action = classifyFailure(error, 0, Math.random, { otherServer });
      if (action.kind !== 'refused') throw error;
      this.log.warn('the coop server refused to invite a circle member', { circle, member, status: action.error.status, errcode: action.error.errcode });
      this.refusals.record(key, action.error, { transient: action.transient, otherServer });
    }
  }

  /**
   * What a member asks for on the circle page: give the circle's facilitators facilitator
   * power in its room now (and take it from former ones), trying again even after a refusal.
   */
  async alignPowerLevels(circle: string): Promise<PowerLevelsOutcome> {
    const roomId = this.roomOf(circle);
    const facts = this.reads.circle(circle);
    const self = this.connection.session()?.userId;
    if (!roomId || !facts || !self) return 'unchanged';
    this.refusals.clear({ kind: 'power_levels', circle });
    return this.reconcilePowerLevels(circle, roomId, facts, self);
  }

  private async reconcilePowerLevels(circle: string, roomId: string, facts: NonNullable<ReturnType<GovernanceReads['circle']>>, self: string): Promise<PowerLevelsOutcome> {
    const key = { kind: 'power_levels' as const, circle };
    if (this.refusals.holds(key)) return 'refused';
    const state = (type: string) =>
      this.db.prepare("SELECT sender, content_json FROM sync_room_state WHERE room_id = ? AND type = ? AND state_key = ''").get(roomId, type) as
        | { sender: string; content_json: string }
        | undefined;
    const createRow = state('m.room.create');
    const create = createRow ? { sender: createRow.sender, content: JSON.parse(createRow.content_json) as Record<string, unknown> } : null;
    const creators = roomCreators(create);
    // Edit the raw content so keys Plenary does not model (notifications, invite, …) survive.
    const stored = state('m.room.power_levels');
    const content = stored
      ? (JSON.parse(stored.content_json) as Record<string, unknown>)
      : await this.connection.request<Record<string, unknown>>('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.power_levels/`);
    const levels: PowerLevels = parsePowerLevels(content);
    // Without enough power this is left to someone who has it; nothing is refused.
    const power = { create, powerLevels: levels };
    if (!mayGrantLevel(power, self, facilitatorPowerLevel)) return 'not-allowed';
    const mine = memberPower(power, self).level;
    const users = { ...(levels.users ?? {}) };
    let changed = false;
    const present = new Set(facts.members.map((m) => m.member));
    for (const m of facts.members) {
      if (!isMatrixUser(m.member) || creators.has(m.member)) continue;
      const wanted = m.role === 'facilitator' ? facilitatorPowerLevel : 0;
      const current = users[m.member] ?? 0;
      // Never lower an admin or anyone as powerful as us (the server would refuse), never raise anyone beyond facilitator.
      if (current >= 100 || current >= mine || current === wanted) continue;
      if (wanted === 0) delete users[m.member];
      else users[m.member] = wanted;
      changed = true;
    }
    for (const [user, level] of Object.entries(users)) {
      if (level === facilitatorPowerLevel && !present.has(user)) {
        delete users[user];
        changed = true;
      }
    }
    if (!changed) {
      this.refusals.clear(key);
      return 'unchanged';
    }
    try {
      await this.connection.request('PUT', `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.power_levels/`, { body: { ...content, users } });
      this.refusals.clear(key);
      return 'updated';
    } catch (error) {
      const action = classifyFailure(error, 0);
      if (action.kind !== 'refused') throw error;
      this.log.warn('the coop server refused to change facilitators’ power levels', { circle, status: action.error.status, errcode: action.error.errcode });
      this.refusals.record(key, action.error, { transient: action.transient });
      return 'refused';
    }
  }
}
