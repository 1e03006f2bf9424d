import { startApp } from './app.js';
import { ConfigError, configSecrets, isUnconfigured, loadStartupConfig } from './config.js';
import { createLogger, makeScrubber } from './logger.js';

/** Entry point for `npm start`: configuration problems stop start-up with one clear line each, no stack trace. */
async function main(): Promise<void> {
  // Relative times ("in 2 hours") go through date arithmetic in the process zone; UTC has no DST to trip on.
  // All user-facing times are computed in explicit IANA zones.
  process.env.TZ = 'UTC';
  if (isUnconfigured(process.env)) {
    process.stdout.write(
      'No Slack or MegaMeeting variable is set, so this is the local sandbox. To connect a real Slack workspace, ' +
        'set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, MEGAMEETING_URL and MEGAMEETING_API_TOKEN (README.md).\n',
    );
    // Loaded only here: a configured deployment never loads the sandbox (nor its development-only dependencies).
    const { runSandbox } = await import('../sandbox/run.js');
    await runSandbox(process.env);
    return;
  }
  let startup: ReturnType<typeof loadStartupConfig>;
  try {
    startup = loadStartupConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `MegaMeeting for Slack cannot start: ${err.problems.length} problem(s) with the environment:\n` +
          `${err.problems.map((p) => `  - ${p}`).join('\n')}\nSee README.md ("Configuration").\n`,
      );
      process.exit(1);
    }
    throw err;
  }
  const { config } = startup;
  const logger = createLogger({
    level: config.logLevel,
    secrets: configSecrets(config),
  });
  let app: { stop(): Promise<void> };
  try {
    app =
      startup.mode === 'single'
        ? await startApp(startup.config, logger)
        : await (await import('./workspaces/app.js')).startMultiWorkspaceApp(startup.config, logger);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.fatal({ err }, 'start-up failed');
    const scrub = makeScrubber(configSecrets(config));
    process.stderr.write(`MegaMeeting for Slack cannot start: ${scrub(message.split('\n')[0] ?? '')}\n`);
    process.exit(1);
  }
  // A safety net: a stray rejection is logged, never allowed to take the app down.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
