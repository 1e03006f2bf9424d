/** Jest runs the TypeScript sources as native ESM through SWC (no type-checking here: `npm run typecheck`). */
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  // Sources import with `.js` suffixes (NodeNext); map them back to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

// The pure time tests again with the process in zones far from UTC (DST on both hemispheres), to prove src/time
// never reads the process zone. Cheap: a few seconds each.
const processZones = ['Pacific/Auckland', 'America/Los_Angeles'].map((processTimeZone) => ({
  ...base,
  displayName: `time TZ=${processTimeZone}`,
  testEnvironment: '<rootDir>/test/support/process-zone-environment.js',
  testEnvironmentOptions: { processTimeZone },
  // A Stryker run's sandboxes are copies of the repository: never collect their files.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  testMatch: ['<rootDir>/test/time/**/*.test.ts'],
}));

export default {
  projects: [
    {
      ...base,
      displayName: 'all',
      testMatch: [
        '<rootDir>/test/**/*.test.ts',
        '<rootDir>/src/**/*.test.ts',
        '<rootDir>/emulator/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/time/process-zone\\.test\\.ts$'],
    },
    ...processZones,
  ],
  testTimeout: 20000,
  maxWorkers: 2,
};
