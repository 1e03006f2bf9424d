/** Moved to sandbox/slack/workspace.ts (the sandbox uses it too); re-exported here so tests keep their imports. */
export * from '../../sandbox/slack/workspace.js';
