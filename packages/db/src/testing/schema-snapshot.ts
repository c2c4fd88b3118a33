import type { SqlSession } from '../sql-session';

/**
 * A normalised description of the `public` schema: columns with type,
 * nullability and default; constraints; indexes; enum labels. Two databases
 * built by the same migrations must produce equal snapshots, whatever the
 * engine (PGlite is PostgreSQL 18, the test server may be 15).
 */
export interface SchemaSnapshot {
  columns: string[];
  constraints: string[];
  indexes: string[];
  enums: string[];
}

export async function readSchemaSnapshot(session: SqlSession): Promise<SchemaSnapshot> {
  const columns = await session.query<Record<string, string | null>>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
            character_maximum_length::text AS length, numeric_precision::text AS precision, ordinal_position::text AS position
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  // PostgreSQL 18 also records NOT NULL as constraints (contype 'n'); nullability is compared through the columns.
  const constraints = await session.query<Record<string, string>>(
    `SELECT rel.relname AS table_name, con.conname AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
      WHERE ns.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'c', 'x')`,
  );
  const indexes = await session.query<Record<string, string>>(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
  const enums = await session.query<Record<string, string>>(
    `SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace ns ON ns.oid = t.typnamespace
      WHERE ns.nspname = 'public' GROUP BY t.typname`,
  );
  return {
    columns: columns.map((row) => normalise(Object.values(row).map((value) => value ?? '∅').join(' | '))),
    constraints: constraints.map((row) => normalise(`${row.table_name} ${row.name} ${row.type} ${row.definition}`)).sort(),
    indexes: indexes.map((row) => normalise(`${row.tablename} ${row.indexname} ${row.indexdef}`)).sort(),
    enums: enums.map((row) => `${row.name}: ${row.labels}`).sort(),
  };
}

function normalise(text: string): string {
  return text.replace(/\bpublic\./g, '').replace(/\s+/g, ' ').trim();
}
