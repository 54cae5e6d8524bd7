/** Unit specs live beside the code (pure modules only); HTTP-level tests live in test/ and drive the built app in a child process. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  // The fault suite stops the shared MariaDB and kills instances: it runs on its own (npm run test:faults).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 60000,
  maxWorkers: 2,
  // A failed beforeAll can leave a stand-in listening; never let that hang CI.
  forceExit: true,
};
