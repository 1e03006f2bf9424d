/**
 * Mutation testing: `npm run test:mutation` (docs/mutation.md). Not part of `npm test` or CI.
 *
 * Without MUTATION_SCOPE every file of the scope is mutated and every test may kill a mutant (hours on a
 * 2-core machine the first time; incremental afterwards). MUTATION_SCOPE=<name> narrows the run to one part of
 * the scope and to the tests written for it, which bounds the time: a mutant those tests miss might still be
 * killed by another test, so a scoped score is a lower bound of the full one.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */

import jestConfig from './jest.config.js';

// The install code of multi-workspace mode and its unit tests (the `workspaces` and `workspaces-unit` scopes).
const INSTALL_CODE = [
  'src/workspaces/installation-store.ts',
  'src/workspaces/oauth.ts',
  'src/workspaces/state-store.ts',
  'src/megameeting/public-host.ts',
];
const INSTALL_UNIT_TESTS = [
  'test/workspaces/installation-store.test.ts',
  'test/workspaces/state-store.test.ts',
  'test/workspaces/oauth-failure.test.ts',
  'test/megameeting/public-host.test.ts',
];

// The guests service and the guest lists typed in forms, and the tests that call them without Bolt (seconds):
// test/services/guests.test.ts drives the service; test/guests/*.test.ts (the `guests` scope) the wiring over HTTP.
const GUESTS_CODE = ['src/services/guests/**/*.ts', 'src/domain/guest-spec.ts'];
const GUESTS_UNIT_TESTS = [
  'test/services/guests.test.ts',
  'test/services/guest-lock.test.ts',
  'test/domain/guest-spec.test.ts',
  'test/guests/key-diff.test.ts',
  'test/views/guests.test.ts',
];

// The recordings announcer, poller, "Try again", `/meet recordings`, delete and share.
const RECORDINGS_CODE = ['src/services/recordings/**/*.ts', 'src/domain/recording.ts'];

/** The `store` scope with its tests on one engine only (the `store-sqlite` and `store-postgres` scopes). */
function storeOn(engine) {
  return {
    mutate: ['src/store/**/*.ts'],
    tests: ['test/store/*.test.ts'],
    env: { STORE_TEST_DIALECTS: engine },
  };
}

const SCOPES = {
  logger: { mutate: ['src/logger.ts'], tests: ['test/logger/logger.test.ts'] },
  config: { mutate: ['src/config.ts'], tests: ['test/config/config.test.ts'] },
  grammar: { mutate: ['src/commands/meet-grammar.ts'], tests: ['test/commands/meet-grammar.test.ts'] },
  commands: {
    mutate: ['src/commands/meet.ts'],
    tests: ['test/app/meet-command.http.test.ts', 'test/app/meet-command-replies.http.test.ts'],
  },
  // The client's tests (test/megameeting/client.stub.test.ts) also reach operations.ts, but their retry timings
  // do not hold on a loaded machine, and the operations' own tests check every operation's text.
  operations: { mutate: ['src/megameeting/operations.ts'], tests: ['test/megameeting/operations.test.ts'] },
  slack: {
    mutate: ['src/slack/**/*.ts'],
    tests: [
      'test/slack/*.test.ts',
      'test/app/http-security.http.test.ts',
      'test/app/event-retries.http.test.ts',
    ],
  },
  store: { mutate: ['src/store/**/*.ts'], tests: ['test/store/*.test.ts'] },
  // The same on one engine (STORE_TEST_DIALECTS, test/store/helpers.ts): each mutant runs the store's tests on
  // SQLite only, half the time of `store`. Postgres-only branches then show as not covered: `store-postgres`
  // measures them (run it with `--mutate <file>:<lines>` on those lines). Both are lower bounds of `store`.
  // Slice the big file: `--mutate src/store/kysely-store.ts:1-400`.
  'store-sqlite': storeOn('sqlite'),
  'store-postgres': storeOn('postgres'),
  // The pure part of the store: database URLs (the rest needs the contract suite on SQLite and Postgres).
  'store-url': { mutate: ['src/store/database-url.ts'], tests: ['test/store/database-url.test.ts'] },
  services: { mutate: ['src/services/**/*.ts', 'src/domain/**/*.ts'], tests: ['test/**/*.test.ts'] },
  // `services` split into groups of files with the tests that drive them (too big for one run), in the order
  // of what guards people and data. Each is a lower bound of `services`: a test outside the group may kill more.
  guests: {
    mutate: GUESTS_CODE,
    tests: [...GUESTS_UNIT_TESTS, 'test/guests/*.test.ts'],
  },
  // The same files against the tests that call the service and its pieces directly (no Bolt, no HTTP wait):
  // minutes, not hours; a lower bound of `guests`.
  'guests-unit': { mutate: GUESTS_CODE, tests: GUESTS_UNIT_TESTS },
  meetings: {
    mutate: ['src/services/meetings.ts'],
    tests: [
      'test/services/meetings.test.ts',
      'test/app/meet-command.http.test.ts',
      'test/app/lost-answers.http.test.ts',
      'test/guests/guests.http.test.ts',
    ],
  },
  // The same file, and the crash recovery that resumes its creates, against their tests without Bolt
  // (test/services/meetings.test.ts, intent-recovery.test.ts): a lower bound.
  'meetings-unit': {
    mutate: ['src/services/meetings.ts', 'src/services/intent-recovery.ts'],
    tests: ['test/services/meetings.test.ts', 'test/services/intent-recovery.test.ts'],
  },
  people: {
    mutate: ['src/services/login-guards.ts', 'src/services/people-admin.ts', 'src/services/identity.ts'],
    tests: [
      'test/services/login-guards.test.ts',
      'test/services/people-admin.test.ts',
      'test/people-admin/*.test.ts',
      'test/admin-requests/offboarding.http.test.ts',
    ],
  },
  // The same files against the tests that call the services without Bolt (test/services/world.ts and the
  // pieces' own tests): minutes, not hours; a lower bound of `people`.
  'people-unit': {
    mutate: ['src/services/login-guards.ts', 'src/services/people-admin.ts', 'src/services/identity.ts'],
    tests: [
      'test/services/login-guards.test.ts',
      'test/services/people-admin*.test.ts',
      'test/services/identity.test.ts',
    ],
  },
  desk: {
    mutate: [
      'src/services/connections.ts',
      'src/services/offboarding.ts',
      'src/services/access-requests.ts',
      'src/services/admin-desk.ts',
    ],
    tests: [
      'test/services/connections.test.ts',
      'test/services/connection-commands.test.ts',
      'test/admin-requests/*.test.ts',
      'test/commands/meet-connect.http.test.ts',
    ],
  },
  // The admin desk against the tests that call it without Bolt: a lower bound of `desk`.
  'desk-unit': {
    mutate: [
      'src/services/connections.ts',
      'src/services/connection-commands.ts',
      'src/services/offboarding.ts',
      'src/services/access-requests.ts',
      'src/services/admin-desk.ts',
    ],
    tests: [
      'test/services/connections.test.ts',
      'test/services/connection-commands.test.ts',
      'test/services/offboarding.test.ts',
      'test/services/access-requests.test.ts',
      'test/services/environment-connection.test.ts',
    ],
  },
  recordings: {
    mutate: RECORDINGS_CODE,
    tests: ['test/recordings/*.test.ts'],
  },
  // The same files against the tests that call the service, the poller and the lookups directly (no Bolt, no
  // HTTP request; the app's services against the emulator, the Slack stand-in and SQLite): a lower bound.
  'recordings-unit': {
    mutate: RECORDINGS_CODE,
    tests: ['test/services/recordings.test.ts', 'test/recordings/lookup.test.ts'],
  },
  // Scheduling (the modals' service, edits) and channel reminders against their tests without Bolt.
  'scheduling-unit': {
    mutate: ['src/services/scheduling.ts', 'src/services/reminders.ts'],
    tests: ['test/services/scheduling.test.ts', 'test/services/reminders.test.ts'],
  },
  // Slack's native surfaces (calls on meeting cards, unfurled meeting links, `/meet list`'s reconciling, the
  // "Meet about this" shortcut, the cards' data) against their tests without Bolt (test/services/world.ts): the
  // HTTP-level tests (calls.http, test/unfurls, test/shortcuts) cost a Bolt app per mutant.
  'surfaces-unit': {
    mutate: [
      'src/services/calls.ts',
      'src/services/unfurls.ts',
      'src/services/meeting-list.ts',
      'src/services/meet-about.ts',
      'src/services/meeting-card-data.ts',
    ],
    tests: [
      'test/services/calls.test.ts',
      'test/services/unfurls.test.ts',
      'test/services/meeting-list.test.ts',
      'test/services/meet-about.test.ts',
      'test/services/meeting-card-data.test.ts',
    ],
  },
  // App Home, one-click sign-in, the app's own login, the create journal and the small pieces the services share
  // (the change feed, the clock, the meeting snapshots, the meeting vocabulary) against their tests without Bolt
  // (test/home/*.http.test.ts drive Home and sign-in over HTTP, far too slow per mutant).
  'home-unit': {
    mutate: [
      'src/services/home.ts',
      'src/services/sign-in.ts',
      'src/services/app-login.ts',
      'src/services/intents.ts',
      'src/services/changes.ts',
      'src/services/meeting-snapshot.ts',
      'src/services/clock.ts',
      'src/domain/meeting.ts',
    ],
    tests: [
      'test/services/home.test.ts',
      'test/services/sign-in.test.ts',
      'test/services/app-login.test.ts',
      'test/services/intent-journal.test.ts',
      'test/services/meeting-snapshot.test.ts',
      'test/services/changes.test.ts',
      'test/domain/meeting.test.ts',
    ],
  },
  // The services' pure part with its unit tests (the rest is driven by the HTTP-level tests).
  'user-messages': {
    mutate: ['src/services/user-messages.ts'],
    tests: ['test/services/user-messages.test.ts'],
  },
  // src/slack/gateway.ts alone against its unit tests (the Slack stand-in through the real WebClient): under the
  // `slack` scope its static mutants (schemas, SEND_METHODS) would each run the HTTP-level slack tests too.
  gateway: { mutate: ['src/slack/gateway.ts'], tests: ['test/slack/gateway*.test.ts'] },
  // The install code of multi-workspace mode (issue #17: "the install/encryption code"): Bolt's installation
  // store, the OAuth receiver's failure pages, the single-use state, the connect form's private-network guard.
  workspaces: {
    mutate: INSTALL_CODE,
    tests: [
      ...INSTALL_UNIT_TESTS,
      'test/workspaces/install.http.test.ts',
      'test/services/connections.test.ts',
    ],
  },
  // The same files against their unit tests only (minutes, not half an hour under load): a lower bound, and
  // createOAuthReceiver (driven by test/workspaces/install.http.test.ts alone) shows as not covered.
  'workspaces-unit': {
    mutate: INSTALL_CODE,
    tests: INSTALL_UNIT_TESTS,
  },
  // Secrets at rest and the multi-workspace configuration (issue #17: "later the install/encryption code").
  secrets: {
    mutate: ['src/secrets/**/*.ts', 'src/config/multi-workspace.ts'],
    tests: ['test/secrets/*.test.ts', 'test/config/*.test.ts'],
  },
};

const scopeName = process.env.MUTATION_SCOPE;
const scope = scopeName ? SCOPES[scopeName] : undefined;
if (scopeName && !scope) {
  throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPES).join(', ')}`);
}
const reportDir = `reports/mutation${scope ? `/${scopeName}` : ''}`;
// A scope's environment (such as the store's engine) reaches the tests: Stryker's jest runner processes inherit
// this process's environment.
Object.assign(process.env, scope?.env);
// A scoped run uses only jest.config.js's main project, narrowed to the scope's tests. Stryker merges its
// `config` over the file's shallowly, so a top-level `testMatch` beside the file's three `projects` made every
// test run three times per mutant (the two process-zone projects repeat test/time only, in no scope).
const [mainProject] = jestConfig.projects;
const scopedJestConfig = scope
  ? { projects: [{ ...mainProject, testMatch: scope.tests.map((t) => `<rootDir>/${t}`) }] }
  : undefined;

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Jest runs the tests as native ESM, as in `npm test`.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    enableFindRelatedTests: true,
    ...(scopedJestConfig ? { config: scopedJestConfig } : {}),
  },
  // MUTATION_TYPECHECK=off leaves the TypeScript checker out: on a loaded machine it costs tens of seconds per
  // mutant (the tests of a unit-tested file, one). Mutants that would not compile are then run as tests (SWC
  // does not type-check) and counted killed or survived; a survivor of such a run is checked with tsc by hand.
  checkers: process.env.MUTATION_TYPECHECK === 'off' ? [] : ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: scope
    ? scope.mutate
    : [
        'src/slack/**/*.ts',
        'src/commands/**/*.ts',
        'src/services/**/*.ts',
        'src/domain/**/*.ts',
        'src/store/**/*.ts',
        'src/logger.ts',
        'src/config.ts',
        'src/megameeting/operations.ts',
        'src/secrets/**/*.ts',
        'src/config/multi-workspace.ts',
        'src/workspaces/installation-store.ts',
        'src/workspaces/oauth.ts',
        'src/workspaces/state-store.ts',
        'src/megameeting/public-host.ts',
      ],
  // One incremental file per scope; a `--mutate` run of one file keeps the scope's other files' results too
  // (docs/mutation.md, "Incremental mode").
  incremental: true,
  incrementalFile: `${reportDir}/incremental.json`,
  // The machine is shared: one test process by default (`--concurrency 2` when it is free).
  concurrency: 1,
  timeoutMS: 10000,
  timeoutFactor: 2,
  // Its own sandbox folder per scope, so two scoped runs never clean up each other's.
  tempDirName: scope ? `.stryker-tmp/${scopeName}` : '.stryker-tmp',
  cleanTempDir: 'always',
  // '.stryker-tmp': the other scopes' sandboxes (each scope has its own, and only its own is left out by default).
  ignorePatterns: [
    'dist',
    'data',
    'coverage',
    'reports',
    '.stryker-tmp',
    'sandbox/.cache',
    '*.sqlite',
    '*.sqlite-*',
  ],
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/mutation.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  thresholds: { high: 90, low: 85, break: null },
};
