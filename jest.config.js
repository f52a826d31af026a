/** Unit, integration (moto server) and workflow (Temporal dev server) tests share one
 * local stack, started once by globalSetup and stopped by globalTeardown. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 180000,
  verbose: false,
};
