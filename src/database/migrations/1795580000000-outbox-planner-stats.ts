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
    // ANALYZE of a table creates sqlite_stat1 when there is none; its rows for the outbox are replaced below.
    await queryRunner.query('ANALYZE outbox');
    await queryRunner.query("DELETE FROM sqlite_stat1 WHERE tbl = 'outbox'");
    // One million rows; a state matches a fifth of them; a state and a due time, two.
    await queryRunner.query("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('outbox', ?, '1000000 200000 2')", [STATE_INDEX]);
    await queryRunner.query('ANALYZE sqlite_schema');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) return;
    await queryRunner.query("DELETE FROM sqlite_stat1 WHERE tbl = 'outbox'");
    await queryRunner.query('ANALYZE sqlite_schema');
  }
}
