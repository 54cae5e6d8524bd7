import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';

/** A DataSource on a database from `freshDatabase()`, with the app's own options and its real migrations run. */
export async function migratedDataSource(url: string): Promise<DataSource> {
  const config = url.startsWith('mysql://') ? ({ type: 'mysql', url } as const) : ({ type: 'sqlite', path: url.slice('sqlite:'.length) } as const);
  const db = new DataSource({ ...dataSourceOptions(config), migrationsRun: true });
  await db.initialize();
  return db;
}
