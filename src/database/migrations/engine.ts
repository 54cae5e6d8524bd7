import type { DataSource, QueryRunner } from 'typeorm';

/** True on MySQL/MariaDB, false on SQLite: code that writes each engine's own SQL asks this. */
export function isMysqlDataSource(db: DataSource): boolean {
  return db.options.type === 'mysql' || db.options.type === 'mariadb';
}

/** True on MySQL/MariaDB, false on SQLite: migrations write each engine's own DDL. */
export function isMysql(queryRunner: QueryRunner): boolean {
  return isMysqlDataSource(queryRunner.connection);
}
