/**
 * The fault suite (SPEC §6 "faults"): provider 5xx/429/timeouts, an instance killed mid-run, the database gone
 * for 30 s. Runs on MariaDB, one file at a time: one test stops the machine's MariaDB server, so nothing else may
 * use it meanwhile (`.ci/run` runs this after the main suite). `npm run test:faults`; SKIP_BUILD=1 skips the build.
 */
if (!process.env.DATABASE_URL?.startsWith('mysql://')) process.env.DATABASE_URL = 'mysql://root@127.0.0.1:3306/test';
// test/faults/*.e2e.ts also match the main suite's pattern; they skip themselves unless this is set.
process.env.KALLELSE_FAULTS = '1';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 300000,
  maxWorkers: 1,
  forceExit: true,
};
