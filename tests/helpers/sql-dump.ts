// Writes a SQLite database as SQL text and reads it back: the committed store fixtures
// (tests/fixtures/stores/) are dumps, so a reviewer can read what each schema level held and
// git can show what changed. Every table's CREATE statement is SQLite's own text from
// sqlite_master, rows keep their rowids (where the rowid is not a declared column), and
// values keep their types (integers exact, text, blobs as X'…', NULL).
import Database from 'better-sqlite3';

type Db = Database.Database;

function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** The table's columns, and whether its rowid must be written too (a rowid table without an INTEGER PRIMARY KEY). */
function tableShape(db: Db, table: string, sql: string): { columns: string[]; withRowid: boolean } {
  const info = db.prepare(`SELECT name, type, pk FROM pragma_table_info(?)`).all(table) as { name: string; type: string; pk: number }[];
  const pks = info.filter((c) => c.pk > 0);
  const aliasesRowid = pks.length === 1 && pks[0]!.type.toUpperCase() === 'INTEGER';
  return { columns: info.map((c) => c.name), withRowid: !/WITHOUT\s+ROWID/i.test(sql) && !aliasesRowid };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function dumpDatabase(db: Db, header: string): string {
  const lines = [...header.split('\n').map((line) => `-- ${line}`), 'PRAGMA foreign_keys = OFF;', 'BEGIN;'];
  const objects = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { type: string; name: string; sql: string }[];
  // A full-text table (FTS5) is dumped as itself, its rows inserted through it; the tables
  // SQLite keeps behind it are made again by its CREATE and cannot be created by hand.
  const virtual = objects.filter((o) => o.type === 'table' && /^CREATE\s+VIRTUAL\s+TABLE/i.test(o.sql)).map((o) => o.name);
  const shadow = (name: string) => virtual.some((vt) => ['data', 'idx', 'content', 'docsize', 'config'].some((suffix) => name === `${vt}_${suffix}`));
  for (const table of objects.filter((o) => o.type === 'table' && !shadow(o.name))) {
    lines.push(`${table.sql};`);
    const { columns, withRowid } = tableShape(db, table.name, table.sql);
    const names = [...(withRowid ? ['rowid'] : []), ...columns];
    const rows = db.prepare(`SELECT ${names.map(quote).join(', ')} FROM ${quote(table.name)} ORDER BY ${withRowid ? 'rowid' : '1'}`).raw().safeIntegers().all() as unknown[][];
    for (const row of rows) lines.push(`INSERT INTO ${quote(table.name)} (${names.map(quote).join(', ')}) VALUES (${row.map(literal).join(', ')});`);
  }
  const sequence = db.prepare("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
  if (sequence) {
    // Inserting rows has already set these; the dump restores the exact counters (they can run ahead of the rows).
    for (const [name, seq] of db.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').raw().safeIntegers().all() as [string, bigint][]) {
      lines.push(`DELETE FROM sqlite_sequence WHERE name = ${literal(name)};`, `INSERT INTO sqlite_sequence (name, seq) VALUES (${literal(name)}, ${literal(seq)});`);
    }
  }
  for (const other of objects.filter((o) => o.type !== 'table')) lines.push(`${other.sql};`);
  lines.push('COMMIT;', '');
  return lines.join('\n');
}

/** Creates `file` from a dump. */
export function loadDump(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
