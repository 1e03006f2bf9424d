import type { App } from '@slack/bolt';
import { type MeetCommandDeps, makeMeetCommand } from './meet.js';

export type CommandDeps = MeetCommandDeps;

/** The slash commands: `/meet` only (the grammar is in meet-grammar.ts). */
export function register(app: App, deps: CommandDeps): void {
  app.command('/meet', makeMeetCommand(deps));
}
