/**
 * The sandbox: the real app (through its public start function, unchanged) wired to the embedded MegaMeeting
 * emulator and to a sandbox Slack (the Web API stand-in plus a web page standing in for the Slack client).
 * Everything lives in memory: the app's store is a private in-memory SQLite database (DATABASE_URL is never
 * read), the emulator keeps its state in memory, and a restart starts afresh.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { type RunningApp, startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { SANDBOX_CHANNELS, SANDBOX_PEOPLE, type SandboxIdentity, sandboxIdentity } from './people.js';
import { SandboxSlackClient } from './slack/client.js';
import { SlackStub } from './slack/stub.js';
import { createSandboxServer } from './ui/server.js';

export interface SandboxOptions {
  /** The web page's port (PORT); 0 picks a free one. Default 3000. */
  port?: number;
  /** The app's log level (LOG_LEVEL). Default `warn`, so the console stays readable. */
  logLevel?: string;
  /** Where the app's log lines go; default stderr. */
  logDestination?: NodeJS.WritableStream;
  /** How often the app checks for finished recordings. Default 2 s, so "finish a recording" shows quickly. */
  recordingsPollSeconds?: number;
}

export interface Sandbox {
  /** The web page, e.g. http://127.0.0.1:3000/ */
  url: string;
  port: number;
  emulator: Emulator;
  slack: SlackStub;
  client: SandboxSlackClient;
  app: RunningApp;
  identity: SandboxIdentity;
  stop(): Promise<void>;
}

/** Seeds the emulator with one login per sandbox person who has one (the admin is the account owner). */
function seedEmulator(emulator: Emulator): void {
  for (const person of SANDBOX_PEOPLE) {
    if (person.login !== 'host') continue;
    emulator.state.addLogin({ email: person.email, fullName: person.realName, roles: ['host'] });
  }
}

function seedSlack(slack: SlackStub, identity: SandboxIdentity): void {
  slack.addUser({ id: identity.botUserId, name: 'megameeting', real_name: identity.botName, is_bot: true });
  for (const person of SANDBOX_PEOPLE) {
    slack.addUser({
      id: person.id,
      name: person.name,
      real_name: person.realName,
      email: person.email,
      tz: person.tz,
      is_admin: person.role === 'admin',
      is_restricted: person.slackGuest === true,
    });
  }
  for (const channel of SANDBOX_CHANNELS) slack.addChannel({ id: channel.id, name: channel.name });
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const identity = sandboxIdentity();
  const admin = SANDBOX_PEOPLE.find((p) => p.login === 'owner');
  const started: { close(): Promise<void> }[] = [];
  try {
    const emulator = await startEmulator({
      remuxDelayMs: 1000,
      ...(admin ? { owner: { email: admin.email, fullName: admin.realName } } : {}),
    });
    started.push(emulator);
    seedEmulator(emulator);

    const slack = await SlackStub.start({
      botToken: identity.botToken,
      teamId: identity.teamId,
      teamDomain: identity.teamDomain,
      teamName: identity.teamName,
      botUserId: identity.botUserId,
      botId: identity.botId,
      botName: identity.botName,
      appId: identity.appId,
      seedDefaultUsers: false,
    });
    started.push(slack);
    seedSlack(slack, identity);

    const config = loadConfig({
      SLACK_BOT_TOKEN: identity.botToken,
      SLACK_SIGNING_SECRET: identity.signingSecret,
      SLACK_API_URL: slack.url,
      MEGAMEETING_URL: emulator.url,
      MEGAMEETING_API_TOKEN: emulator.adminToken,
      PORT: '0',
      DATABASE_URL: 'sqlite::memory:',
      RECORDINGS_POLL_SECONDS: String(opts.recordingsPollSeconds ?? 2),
      LOG_LEVEL: opts.logLevel ?? 'warn',
    });
    const logger = createLogger({
      level: config.logLevel,
      secrets: [identity.botToken, identity.signingSecret, emulator.adminToken],
      destination: opts.logDestination ?? (process.stderr as unknown as Writable),
    });
    const app = await startApp(config, logger);
    started.push({ close: () => app.stop() });

    const channelName = (id: string) => SANDBOX_CHANNELS.find((c) => c.id === id)?.name;
    const client = new SandboxSlackClient({
      stub: slack,
      identity,
      eventsUrl: `http://127.0.0.1:${app.port}/slack/events`,
      channelName,
      userTimeZone: (id) => slack.user(id)?.tz ?? 'UTC',
    });
    // Reminders go out with chat.scheduleMessage: deliver them when they are due, as Slack would.
    const delivery = setInterval(() => slack.deliverScheduledMessages(), 5000);
    delivery.unref();
    started.push({ close: async () => clearInterval(delivery) });

    const server: Server = createSandboxServer({ client, slack, emulator, identity });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the sandbox has no authentication (and answers only loopback Host names).
      server.listen(opts.port ?? 3000, '127.0.0.1', () => resolve());
    });
    started.push({
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    });
    const port = (server.address() as AddressInfo).port;
    return {
      url: `http://127.0.0.1:${port}/`,
      port,
      emulator,
      slack,
      client,
      app,
      identity,
      stop: () => closeAll(started),
    };
  } catch (err) {
    await closeAll(started);
    throw err;
  }
}

async function closeAll(started: { close(): Promise<void> }[]): Promise<void> {
  for (const s of started.reverse()) await s.close().catch(() => {});
  started.length = 0;
}

/** The PORT / LOG_LEVEL the sandbox honours (every other variable is ignored: nothing real is contacted). */
export function sandboxOptionsFromEnv(env: Record<string, string | undefined>): SandboxOptions {
  const port = env.PORT?.trim() ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('PORT must be a whole number 0–65535');
  const logLevel = env.LOG_LEVEL?.trim() || 'warn';
  return { port, logLevel };
}
