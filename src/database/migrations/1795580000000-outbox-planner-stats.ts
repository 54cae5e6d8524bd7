import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/** The outbox's (state, dueAt) index. */
const STATE_INDEX = 'IDX_daea1a86f2063bf155d7ca41aa';

/**
 * SQLite only: tells its query planner that an outbox `state` matches many rows.
 *
 * Without statistics SQLite assumes an equality on an indexed column matches about ten rows, so a statement such
 * as `WHERE id IN (…32 ids…) AND state = 'scheduled'` walked every scheduled row by the state index instead of
 * looking up 32 ids: with a backlog of 20,000 rows, recording 32 sends took 5 ms. The figures are fixed rather
 * than measured (ANALYZE), because measured ones go stale as a young table grows: a table of ten rows measured
 * today would mislead the planner once it holds a million. MySQL and MariaDB keep statistics of their own.
 */
export class OutboxPlannerStats1795580000000 implements MigrationInterface {
  name = 'OutboxPlannerStats1795580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) return;
    // Creates the statistics tables without reading any table; figures an operator's ANALYZE measured for the
    // outbox (sqlite_stat1 rows, and STAT4 samples where SQLite keeps them) are replaced.
    await queryRunner.query('ANALYZE sqlite_schema');
    await forgetOutbox(queryRunner);
    // One million rows; a state matches a fifth of them; a state and a due time, two.
    await queryRunner.query("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('outbox', ?, '1000000 200000 2')", [STATE_INDEX]);
    // Loads the statistics into this connection (others read them when they open the file).
    await queryRunner.query('ANALYZE sqlite_schema');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) return;
    await forgetOutbox(queryRunner);
    await queryRunner.query('ANALYZE sqlite_schema');
  }
}

async function forgetOutbox(queryRunner: QueryRunner): Promise<void> {
  const tables: { name: string }[] = await queryRunner.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4')");
  for (const { name } of tables) await queryRunner.query(`DELETE FROM ${name} WHERE tbl = 'outbox'`);
}
