import { MigrationInterface, QueryRunner } from 'typeorm';

/** A shared send-slot row per provider, so that SMS_PER_SECOND holds across instances. */
export class RateLimits1795566000000 implements MigrationInterface {
  name = 'RateLimits1795566000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb') {
      await queryRunner.query(`CREATE TABLE \`rate_limits\` (\`name\` varchar(32) NOT NULL, \`nextAt\` datetime(3) NOT NULL, \`version\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`name\`)) ENGINE=InnoDB`);
    } else {
      await queryRunner.query(`CREATE TABLE "rate_limits" ("name" varchar(32) PRIMARY KEY NOT NULL, "nextAt" datetime(3) NOT NULL, "version" integer NOT NULL DEFAULT (0))`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb' ? 'DROP TABLE `rate_limits`' : 'DROP TABLE "rate_limits"');
  }
}
