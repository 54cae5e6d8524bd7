import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/** `outbox.slotAt`: the send slot a row holds at its provider's pace after it was held back for it (Slack per channel). */
export class OutboxSlot1795620000000 implements MigrationInterface {
  name = 'OutboxSlot1795620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) await queryRunner.query('ALTER TABLE `outbox` ADD `slotAt` datetime(3) NULL');
    else await queryRunner.query('ALTER TABLE "outbox" ADD COLUMN "slotAt" datetime(3)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) await queryRunner.query('ALTER TABLE `outbox` DROP COLUMN `slotAt`');
    else await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "slotAt"');
  }
}
