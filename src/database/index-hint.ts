import type { DataSource } from 'typeorm';
import { isMysqlDataSource } from './migrations/engine';

/**
 * A PreparedSelect/BatchedSelect `adapt` that puts `FORCE INDEX (index)` after `FROM <table>` in TypeORM's SQL on
 * MySQL/MariaDB (SQL left as it is elsewhere); throws when TypeORM wrote the table otherwise.
 */
export function forceIndexOnMysql(table: string, index: string): (sql: string, db: DataSource) => string {
  const from = `FROM ${table}`;
  return (sql, db) => {
    if (!isMysqlDataSource(db)) return sql;
    const at = sql.indexOf(`${from} `);
    if (at < 0) throw new Error(`forceIndexOnMysql: no "${from}" in ${sql.slice(0, 200)}`);
    const end = at + from.length;
    return `${sql.slice(0, end)} FORCE INDEX (\`${index}\`)${sql.slice(end)}`;
  };
}
