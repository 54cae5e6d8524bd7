import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/** `outbox.heldSince`: when a row was first held back (a provider's 429): that spares its attempts for a day. */
export class OutboxHeldSince1795620000000 implements MigrationInterface {
  name = 'OutboxHeldSince1795620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) await queryRunner.query('ALTER TABLE `outbox` ADD `heldSince` datetime(3) NULL');
    else await queryRunner.query('ALTER TABLE "outbox" ADD COLUMN "heldSince" datetime(3)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) await queryRunner.query('ALTER TABLE `outbox` DROP COLUMN `heldSince`');
    else await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "heldSince"');
  }
}
