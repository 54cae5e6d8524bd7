import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/**
 * The outbox by (interviewId, channel, state) instead of interviewId alone: rendering a card reads an interview's
 * email and SMS rows and looks for its waiting card edits, without walking every Slack row the interview has had.
 */
export class OutboxByInterview1795600000000 implements MigrationInterface {
  name = 'OutboxByInterview1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) {
      await queryRunner.query('CREATE INDEX `IDX_ae8cbbe831883827900e539401` ON `outbox` (`interviewId`, `channel`, `state`)');
      await queryRunner.query('DROP INDEX `IDX_376d2020d979f5ce52bf50e72c` ON `outbox`');
    } else {
      await queryRunner.query('CREATE INDEX "IDX_ae8cbbe831883827900e539401" ON "outbox" ("interviewId", "channel", "state")');
      await queryRunner.query('DROP INDEX "IDX_376d2020d979f5ce52bf50e72c"');
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) {
      await queryRunner.query('CREATE INDEX `IDX_376d2020d979f5ce52bf50e72c` ON `outbox` (`interviewId`)');
      await queryRunner.query('DROP INDEX `IDX_ae8cbbe831883827900e539401` ON `outbox`');
    } else {
      await queryRunner.query('CREATE INDEX "IDX_376d2020d979f5ce52bf50e72c" ON "outbox" ("interviewId")');
      await queryRunner.query('DROP INDEX "IDX_ae8cbbe831883827900e539401"');
    }
  }
}
