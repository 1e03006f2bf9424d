import type { ListenerApp } from '../slack/listener-router.js';
import { type MeetCommandDeps, makeMeetCommand } from './meet.js';

export type CommandDeps = MeetCommandDeps;

/** The slash commands: `/meet` only (the grammar is in meet-grammar.ts). */
export function register(app: ListenerApp, deps: CommandDeps): void {
  app.command('/meet', makeMeetCommand(deps));
}
