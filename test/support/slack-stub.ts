/** Moved to sandbox/slack/stub.ts (the sandbox uses it too); re-exported here so tests keep their imports. */
export * from '../../sandbox/slack/stub.js';
