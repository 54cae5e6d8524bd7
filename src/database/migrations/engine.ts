import type { QueryRunner } from 'typeorm';

/** True on MySQL/MariaDB, false on SQLite: migrations write each engine's own DDL. */
export function isMysql(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb';
}
