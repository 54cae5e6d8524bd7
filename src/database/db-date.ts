import type { DataSource } from 'typeorm';

/** A Date as a raw query parameter: TypeORM keeps datetimes on SQLite as 'YYYY-MM-DD HH:MM:SS.SSS' text in UTC. */
export function dbDate(db: DataSource, d: Date): Date | string {
  return db.options.type === 'better-sqlite3' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}
