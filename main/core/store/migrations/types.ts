import type Database from 'better-sqlite3';

/**
 * One schema step. `id` is the file's timestamp and name (YYYYMMDDTHHMM-name), which
 * orders the steps. Steps are additive: they create tables, columns and indices, and never
 * drop or rewrite data a previous release wrote.
 */
export interface Migration {
  id: string;
  up(db: Database.Database): void;
  /**
   * Columns whose stored values this step re-spells in place (a format conversion). The
   * fixture tests compare them through the fold of the log instead of literally.
   */
  rewrites?: readonly { table: string; column: string }[];
}
