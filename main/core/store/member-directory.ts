// Who the members of a circle are, with local member ids resolved through their links to
// Matrix accounts (gov_member_links). The tables keep every id as operations wrote it; a
// member is the group of ids that resolve to the same one (a local id and the account it
// was linked to), and the group is read as one last-writer-wins element: present when the
// newest set of any of its ids is newer than the newest removal of any of them, with the
// name, role and time zone of that newest set. Every replica holding the same operations
// reads the same members, in any arrival order, and a member's earlier ballots, attendance
// and contributions follow their account once linked.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { Role } from '../../../shared/governance/operation-types';

export interface MemberRecord {
  member: string;
  display_name: string;
  role: Role;
  timezone: string;
  set_v: string;
  removed_v: string;
}

export interface ResolvedMember {
  /** The id the member goes by: their Matrix account once linked, else the id they were added with. */
  member: string;
  displayName: string;
  role: Role;
  timezone: string;
  /** The ids this member was written under (a local id and its account). */
  ids: string[];
  /** Stamp of the set that gave the name, role and time zone. */
  setV: string;
}

/** Groups member rows by resolved id and keeps the groups present (see the file comment). */
export function groupMembers(rows: readonly MemberRecord[], links: ReadonlyMap<string, string>): Map<string, ResolvedMember> {
  const groups = new Map<string, { newest: MemberRecord; removed: string; ids: string[] }>();
  for (const row of rows) {
    const id = links.get(row.member) ?? row.member;
    const group = groups.get(id);
    if (!group) groups.set(id, { newest: row, removed: row.removed_v, ids: [row.member] });
    else {
      if (row.set_v > group.newest.set_v) group.newest = row;
      if (row.removed_v > group.removed) group.removed = row.removed_v;
      group.ids.push(row.member);
    }
  }
  const live = new Map<string, ResolvedMember>();
  for (const [id, { newest, removed, ids }] of groups) {
    if (newest.set_v > removed) live.set(id, { member: id, displayName: newest.display_name, role: newest.role, timezone: newest.timezone, ids: ids.sort(), setV: newest.set_v });
  }
  return live;
}

export class MemberDirectory {
  // Prepared on first use, so a store can be opened on a database still being migrated.
  private rows: Statement | null = null;
  private linkRows: Statement | null = null;

  constructor(private readonly db: Db) {}

  /** Local member id -> the Matrix account it was linked to. */
  links(circle: string): Map<string, string> {
    this.linkRows ??= this.db.prepare('SELECT member, account FROM gov_member_links WHERE circle = ?');
    return new Map((this.linkRows.all(circle) as { member: string; account: string }[]).map((r) => [r.member, r.account]));
  }

  /** The circle's members now, by the id each goes by. */
  live(circle: string, links = this.links(circle)): Map<string, ResolvedMember> {
    this.rows ??= this.db.prepare('SELECT member, display_name, role, timezone, set_v, removed_v FROM gov_members WHERE circle = ?');
    return groupMembers(this.rows.all(circle) as MemberRecord[], links);
  }

  /** The id someone goes by in the circle (their account, for a linked local id). */
  resolve(circle: string, id: string): string {
    return id.startsWith('local:') ? (this.links(circle).get(id) ?? id) : id;
  }

  /** The present member an id names, after resolving it. */
  member(circle: string, id: string): ResolvedMember | undefined {
    const links = this.links(circle);
    return this.live(circle, links).get(links.get(id) ?? id);
  }
}
