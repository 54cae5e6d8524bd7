import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './engine';

/** Invitations by (interview, application): a new invitation's statements find its id with it before the commit. */
export class InvitationByApplication1795570000000 implements MigrationInterface {
  name = 'InvitationByApplication1795570000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) await queryRunner.query('CREATE INDEX `IDX_2f0a913ae3e79c48c650103a31` ON `invitations` (`interviewId`, `applicationId`)');
    else await queryRunner.query('CREATE INDEX "IDX_2f0a913ae3e79c48c650103a31" ON "invitations" ("interviewId", "applicationId")');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner)) await queryRunner.query('DROP INDEX `IDX_2f0a913ae3e79c48c650103a31` ON `invitations`');
    else await queryRunner.query('DROP INDEX "IDX_2f0a913ae3e79c48c650103a31"');
  }
}
