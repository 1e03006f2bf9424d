/**
 * Runs the local sandbox as a process: `npm run sandbox` (sandbox/main.ts), and `npm start` with no Slack and no
 * MegaMeeting variable set (src/main.ts). Only PORT and LOG_LEVEL are read; nothing real is contacted.
 */
import { type Sandbox, sandboxOptionsFromEnv, startSandbox } from './start.js';

export async function runSandbox(env: Record<string, string | undefined>): Promise<Sandbox> {
  process.env.TZ = 'UTC';
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(sandboxOptionsFromEnv(env));
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${env.PORT?.trim() || 3000} is in use (set PORT to another one)`
        : err instanceof Error
          ? (err.message.split('\n')[0] ?? '')
          : String(err);
    process.stderr.write(`The MegaMeeting sandbox cannot start: ${message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `MegaMeeting sandbox: open ${sandbox.url} (emulated Slack workspace and MegaMeeting account, in memory; Ctrl-C stops it)\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return sandbox;
}
