/**
 * `npm run emulator`: runs the MegaMeeting emulator for local development.
 *
 *   EMULATOR_PORT (default 4000), EMULATOR_HOST (default 127.0.0.1), EMULATOR_ADMIN_TOKEN (generated when unset),
 *   EMULATOR_REMUX_DELAY_MS (default 2000), EMULATOR_BASE_URL (default the listening URL)
 */
import { z } from 'zod';
import { startEmulator } from './index.js';

const env = z
  .object({
    EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
    EMULATOR_ADMIN_TOKEN: z
      .string()
      .regex(/^\S{8,}$/, 'at least 8 characters without spaces')
      .optional(),
    EMULATOR_REMUX_DELAY_MS: z.coerce.number().int().min(0).default(2000),
    EMULATOR_BASE_URL: z.url().optional(),
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));

if (!env.success) {
  for (const issue of env.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const cfg = env.data;

try {
  const emu = await startEmulator({
    port: cfg.EMULATOR_PORT,
    host: cfg.EMULATOR_HOST,
    remuxDelayMs: cfg.EMULATOR_REMUX_DELAY_MS,
    ...(cfg.EMULATOR_ADMIN_TOKEN ? { adminToken: cfg.EMULATOR_ADMIN_TOKEN } : {}),
    ...(cfg.EMULATOR_BASE_URL ? { baseUrl: cfg.EMULATOR_BASE_URL } : {}),
  });
  // Handlers first: a signal may arrive as soon as the URL is printed.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the emulator`);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(cfg.EMULATOR_HOST);
  console.log(`MegaMeeting emulator listening on ${emu.url}`);
  console.log(`  GraphQL:     ${emu.apiUrl}`);
  console.log(
    `  admin token: ${emu.adminToken}${cfg.EMULATOR_ADMIN_TOKEN ? '' : ' (generated; set EMULATOR_ADMIN_TOKEN to fix it)'}`,
  );
  console.log(`  account id:  ${emu.accountId}   owner loginId: ${emu.adminLoginId}`);
  console.log(`  control API: ${emu.url}/_emulator/state (see emulator/README.md)`);
  console.log('');
  console.log('Point the app at it:');
  console.log(`  MEGAMEETING_URL=${emu.url} MEGAMEETING_API_TOKEN=${emu.adminToken} npm start`);
  if (!loopback) {
    console.warn(
      `WARNING: bound to ${cfg.EMULATOR_HOST}: the unauthenticated control API (/_emulator/) is reachable from the network.`,
    );
  }
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE')
    console.error(`Port ${cfg.EMULATOR_PORT} is in use: set EMULATOR_PORT to another port.`);
  else console.error(`Could not start the emulator: ${err.message}`);
  process.exit(1);
}
