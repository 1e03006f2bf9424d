/**
 * Who is in the sandbox: the Slack workspace (people, channels) and the MegaMeeting logins they map to by email,
 * as the real app finds them (users.info email ↔ the `logins` query).
 */
import { randomBytes } from 'node:crypto';

export interface SandboxPerson {
  id: string;
  name: string;
  realName: string;
  email: string;
  tz: string;
  /** What this person shows in the sandbox (the "act as" switch). */
  role: 'host' | 'admin' | 'guest';
  /** The MegaMeeting login they map to: a host login, the account owner (admin), or none. */
  login: 'host' | 'owner' | null;
  /** A Slack guest account (is_restricted), like the guests people invite to secure meetings. */
  slackGuest?: boolean;
}

export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  {
    id: 'U0SBXANA01',
    name: 'ana',
    realName: 'Ana Alvarez',
    email: 'ana@sandbox.example',
    tz: 'America/Chicago',
    role: 'host',
    login: 'host',
  },
  {
    id: 'U0SBXBEN01',
    name: 'ben',
    realName: 'Ben Okafor',
    email: 'ben@sandbox.example',
    tz: 'Europe/London',
    role: 'host',
    login: 'host',
  },
  {
    id: 'U0SBXDANA1',
    name: 'dana',
    realName: 'Dana Kim',
    email: 'dana@sandbox.example',
    tz: 'UTC',
    role: 'admin',
    login: 'owner',
  },
  {
    id: 'U0SBXGUS01',
    name: 'gus',
    realName: 'Gus Guest',
    email: 'gus@partner.example',
    tz: 'Asia/Tokyo',
    role: 'guest',
    login: null,
    slackGuest: true,
  },
];

export const SANDBOX_CHANNELS = [
  { id: 'C0SBXGENL1', name: 'general' },
  { id: 'C0SBXDSGN1', name: 'design' },
] as const;

/** The sandbox's Slack app identity. Tokens and the signing secret are fresh on every start. */
export function sandboxIdentity() {
  return {
    teamId: 'T0SANDBOX1',
    teamDomain: 'megameeting-sandbox',
    teamName: 'MegaMeeting Sandbox',
    appId: 'A0SANDBOX1',
    botUserId: 'U0SBXBOT01',
    botId: 'B0SBXBOT01',
    botName: 'MegaMeeting',
    botToken: `xoxb-sandbox-${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
  };
}
export type SandboxIdentity = ReturnType<typeof sandboxIdentity>;

export function personById(id: string): SandboxPerson | undefined {
  return SANDBOX_PEOPLE.find((p) => p.id === id);
}
