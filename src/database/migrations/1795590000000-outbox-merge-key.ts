import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/** outbox.mergeKey: rows waiting under the same key are one row (one card edit however many answers it covers). */
export class OutboxMergeKey1795590000000 implements MigrationInterface {
  name = 'OutboxMergeKey1795590000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) {
      await queryRunner.query('ALTER TABLE `outbox` ADD `mergeKey` varchar(64) NULL');
      await queryRunner.query('CREATE UNIQUE INDEX `IDX_e6e781c3d0422ab273b661d70a` ON `outbox` (`mergeKey`)');
    } else {
      await queryRunner.query('ALTER TABLE "outbox" ADD COLUMN "mergeKey" varchar(64)');
      await queryRunner.query('CREATE UNIQUE INDEX "IDX_e6e781c3d0422ab273b661d70a" ON "outbox" ("mergeKey")');
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) {
      await queryRunner.query('DROP INDEX `IDX_e6e781c3d0422ab273b661d70a` ON `outbox`');
      await queryRunner.query('ALTER TABLE `outbox` DROP COLUMN `mergeKey`');
    } else {
      await queryRunner.query('DROP INDEX "IDX_e6e781c3d0422ab273b661d70a"');
      await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "mergeKey"');
    }
  }
}
