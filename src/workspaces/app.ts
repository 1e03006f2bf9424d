/**
 * Multi-workspace mode's start-up (design.md "Multi-workspace mode"). Its wiring lives here, apart from
 * src/app.ts, which stays today's single-workspace app.
 */
import type { MultiModeConfig } from '../config.js';
import type { AppLogger } from '../logger.js';

export interface RunningMultiWorkspaceApp {
  port: number;
  stop(): Promise<void>;
}

export async function startMultiWorkspaceApp(
  _config: MultiModeConfig,
  _logger: AppLogger,
): Promise<RunningMultiWorkspaceApp> {
  throw new Error('multi-workspace mode (SLACK_CLIENT_ID) is not available in this build yet');
}
