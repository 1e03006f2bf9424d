/** Moved to sandbox/slack/block-kit.ts (the sandbox uses it too); re-exported here so tests keep their imports. */
export * from '../../sandbox/slack/block-kit.js';
