import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one DataSource definition, shared by the app and the migration CLI. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(db.path)), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      enableWAL: true,
      timeout: 15000,
      // TypeORM keeps prepared statements FIFO; at its default of 100, statements with IN lists of changing length
      // push out the hot ones, which are then prepared again on every request.
      statementCacheSize: 2000,
      prepareDatabase: (conn: { pragma(s: string): unknown }) => {
        conn.pragma('busy_timeout = 15000');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('cache_size = -65536');
        conn.pragma('mmap_size = 268435456');
        conn.pragma('temp_store = MEMORY');
      },
    } as DataSourceOptions;
  }
  return {
    ...common,
    type: 'mariadb',
    url: db.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    // Lets a transaction send START TRANSACTION with its first statement and its last writes with COMMIT
    // (src/database/transaction.ts). Every statement the app sends is parameterised.
    multipleStatements: true,
    // mysql2 captures a stack trace for every query by default (trace: true); that was 5 % of an answer's CPU.
    // A failing query still carries its own error and the query text.
    trace: false,
    extra: { connectionLimit: 20 },
  } as DataSourceOptions;
}
