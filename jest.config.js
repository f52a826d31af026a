/** Unit, integration (moto server) and workflow (Temporal dev server) tests share one
 * local stack, started once by globalSetup and stopped by globalTeardown. */
// The SDK's notice that future versions need a newer Node buried the test output; the SDK
// versions are pinned by the lockfile (bin/amplify-migrate silences it the same way). Set
// here, in jest's own process, so globalSetup, in-band tests and any jest worker inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
