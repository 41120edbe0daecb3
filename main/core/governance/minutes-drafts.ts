// Minutes as they are typed, kept on this computer (gov_minutes_drafts, see the migration
// 20261209T1500-minutes-drafts): saved a moment after each keystroke, shown again after a
// reload or a restart, and turned into the item's minutes (an assembly.minutes.set
// operation) when the facilitator leaves the field or closes the assembly.
import type { Db } from '../store/database';
import { ruleError } from '../store/governance-rules';

export interface MinutesDraft {
  itemId: string;
  markdown: string;
  savedAt: number;
  /** The published minutes' version the draft started from ('' when there were none). */
  baseV: string;
}

export class MinutesDrafts {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Keeps what is typed for an item of an assembly in session (or planned); refuses a closed one. */
  save(circle: string, assemblyId: string, itemId: string, markdown: string): { savedAt: number } {
    const assembly = this.db
      .prepare('SELECT closed_v FROM gov_assemblies WHERE circle = ? AND assembly_id = ? AND created_v IS NOT NULL')
      .get(circle, assemblyId) as { closed_v: string | null } | undefined;
    if (!assembly) throw ruleError('invalid_input', 'assemblyId', 'assembly_missing', 'the circle has no assembly with this id');
    if (assembly.closed_v) throw ruleError('invalid_input', 'assemblyId', 'assembly_closed', 'the assembly is closed; its minutes are final');
    const item = this.db
      .prepare('SELECT 1 FROM gov_agenda_items WHERE circle = ? AND assembly_id = ? AND item_id = ? AND set_v > removed_v')
      .get(circle, assemblyId, itemId);
    if (!item) throw ruleError('invalid_input', 'itemId', 'agenda_item_missing', 'the assembly has no such agenda item');
    const published = this.published(circle, assemblyId, itemId);
    const savedAt = this.now();
    if (markdown === (published?.markdown ?? '')) {
      // Typed back to what everyone has: nothing is left to share.
      this.db.prepare('DELETE FROM gov_minutes_drafts WHERE circle = ? AND assembly_id = ? AND item_id = ?').run(circle, assemblyId, itemId);
      return { savedAt };
    }
    this.db
      .prepare(
        `INSERT INTO gov_minutes_drafts (circle, assembly_id, item_id, markdown, saved_at, base_v) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (circle, assembly_id, item_id) DO UPDATE SET markdown = excluded.markdown, saved_at = excluded.saved_at`,
      )
      .run(circle, assemblyId, itemId, markdown, savedAt, published?.set_v ?? '');
    return { savedAt };
  }

  forAssembly(circle: string, assemblyId: string): Map<string, MinutesDraft> {
    const rows = this.db
      .prepare('SELECT item_id, markdown, saved_at, base_v FROM gov_minutes_drafts WHERE circle = ? AND assembly_id = ?')
      .all(circle, assemblyId) as { item_id: string; markdown: string; saved_at: number; base_v: string }[];
    return new Map(rows.map((r) => [r.item_id, { itemId: r.item_id, markdown: r.markdown, savedAt: r.saved_at, baseV: r.base_v }]));
  }

  /** Drafts of live items that differ from the published minutes: what closing the assembly must publish first. */
  unpublished(circle: string, assemblyId: string): MinutesDraft[] {
    return [...this.forAssembly(circle, assemblyId).values()].filter((draft) => {
      const live = this.db
        .prepare('SELECT 1 FROM gov_agenda_items WHERE circle = ? AND assembly_id = ? AND item_id = ? AND set_v > removed_v')
        .get(circle, assemblyId, draft.itemId);
      return live !== undefined && draft.markdown !== (this.published(circle, assemblyId, draft.itemId)?.markdown ?? '');
    });
  }

  /** After minutes were published: the draft goes, unless more was typed since. */
  forgetPublished(circle: string, assemblyId: string, itemId: string, markdown: string): void {
    this.db.prepare('DELETE FROM gov_minutes_drafts WHERE circle = ? AND assembly_id = ? AND item_id = ? AND markdown = ?').run(circle, assemblyId, itemId, markdown);
  }

  /** A closed assembly's minutes are final; its drafts (already published) go. */
  clearAssembly(circle: string, assemblyId: string): void {
    this.db.prepare('DELETE FROM gov_minutes_drafts WHERE circle = ? AND assembly_id = ?').run(circle, assemblyId);
  }

  private published(circle: string, assemblyId: string, itemId: string) {
    return this.db.prepare('SELECT markdown, set_v FROM gov_minutes WHERE circle = ? AND assembly_id = ? AND item_id = ?').get(circle, assemblyId, itemId) as
      | { markdown: string; set_v: string }
      | undefined;
  }
}
