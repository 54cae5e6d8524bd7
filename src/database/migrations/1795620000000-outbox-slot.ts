import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/**
 * `outbox.slotAt`: the send slot a row holds at its provider's pace after it was held back for it (Slack, per
 * channel). The interview index ends in it, so that the look for an interview's row holding a slot reads only such
 * rows, not the edits and replies waiting with it.
 */
export class OutboxSlot1795620000000 implements MigrationInterface {
  name = 'OutboxSlot1795620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) {
      await queryRunner.query('ALTER TABLE `outbox` ADD `slotAt` datetime(3) NULL');
      await queryRunner.query('CREATE INDEX `IDX_90407a73d2042aa09143445bb1` ON `outbox` (`interviewId`, `channel`, `state`, `slotAt`)');
      await queryRunner.query('DROP INDEX `IDX_ae8cbbe831883827900e539401` ON `outbox`');
    } else {
      await queryRunner.query('ALTER TABLE "outbox" ADD COLUMN "slotAt" datetime(3)');
      await queryRunner.query('CREATE INDEX "IDX_90407a73d2042aa09143445bb1" ON "outbox" ("interviewId", "channel", "state", "slotAt")');
      await queryRunner.query('DROP INDEX "IDX_ae8cbbe831883827900e539401"');
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) {
      await queryRunner.query('CREATE INDEX `IDX_ae8cbbe831883827900e539401` ON `outbox` (`interviewId`, `channel`, `state`)');
      await queryRunner.query('DROP INDEX `IDX_90407a73d2042aa09143445bb1` ON `outbox`');
      await queryRunner.query('ALTER TABLE `outbox` DROP COLUMN `slotAt`');
    } else {
      await queryRunner.query('CREATE INDEX "IDX_ae8cbbe831883827900e539401" ON "outbox" ("interviewId", "channel", "state")');
      await queryRunner.query('DROP INDEX "IDX_90407a73d2042aa09143445bb1"');
      await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "slotAt"');
    }
  }
}
