/**
 * The multi-workspace variables (design.md, "Multi-workspace mode"): a pure validator, called by src/config.ts
 * (`loadStartupConfig`). `SLACK_BOT_TOKEN` set → single-workspace mode; `SLACK_CLIENT_ID` set → multi-workspace
 * mode; both → one start-up error. Problems are one line each, naming the variable, never echoing a value.
 *
 * `publicUrl` is stricter than config.ts's `httpUrl` (no query or fragment), so it stays its own.
 */
import { z } from 'zod';
import { encryptionKeySchema } from '../secrets/encryption-key.js';

export const DEFAULT_UNINSTALL_RETENTION_DAYS = 30;

export type SlackModeChoice = 'single' | 'multi' | 'both' | 'neither';

export interface MultiWorkspaceConfig {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  stateSecret: string;
  /** ENCRYPTION_KEY, 32 bytes. */
  encryptionKey: Buffer;
  /** ENCRYPTION_KEY_PREVIOUS, 32 bytes, during a key rotation. */
  encryptionKeyPrevious: Buffer | undefined;
  /** PUBLIC_URL without a trailing slash, e.g. `https://meet.example.com`. */
  publicUrl: string;
  /** The OAuth redirect URI derived from it: `${publicUrl}/slack/oauth_redirect`. */
  redirectUri: string;
  uninstallRetentionDays: number;
}

export type MultiWorkspaceResult =
  | { ok: true; config: MultiWorkspaceConfig }
  | { ok: false; problems: string[] };

/** Empty strings count as unset, as in config.ts and most .env tooling. */
function present(env: Record<string, string | undefined>, name: string): boolean {
  const v = env[name];
  return v !== undefined && v.trim() !== '';
}

/** Which mode the environment asks for. */
export function slackModeOf(env: Record<string, string | undefined>): SlackModeChoice {
  const single = present(env, 'SLACK_BOT_TOKEN');
  const multi = present(env, 'SLACK_CLIENT_ID');
  return single && multi ? 'both' : single ? 'single' : multi ? 'multi' : 'neither';
}

export const BOTH_MODES_PROBLEM =
  'SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: set SLACK_BOT_TOKEN to serve one workspace, or ' +
  'SLACK_CLIENT_ID (with its OAuth variables) to offer the app to many workspaces, not both';

const required = (what: string) => ({ message: `is required in multi-workspace mode (${what})` });

const publicUrl = z
  .string(required("the app's public base URL, e.g. https://meet.example.com"))
  .trim()
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) base URL without query or fragment, e.g. https://meet.example.com' },
  )
  .transform((v) => v.replace(/\/+$/, ''));

export const multiWorkspaceEnvSchema = z.object({
  SLACK_CLIENT_ID: z
    .string(required('the Client ID from the app\'s "Basic Information" page'))
    .trim()
    .regex(/^\d+\.\d+$/, { message: 'must be a Slack Client ID such as 1234567890.1234567890' }),
  SLACK_CLIENT_SECRET: z
    .string(required('the Client Secret from the app\'s "Basic Information" page'))
    .trim()
    .min(1),
  SLACK_SIGNING_SECRET: z.string(required('the Signing Secret from "Basic Information"')).trim().min(1),
  SLACK_STATE_SECRET: z
    .string(required('a random text of 32 characters or more that signs the OAuth state'))
    .trim()
    .min(32, { message: 'must be at least 32 characters of random text (it signs the OAuth state)' }),
  ENCRYPTION_KEY: z
    .string(required('32 random bytes in base64, e.g. from `openssl rand -base64 32`'))
    .pipe(encryptionKeySchema),
  ENCRYPTION_KEY_PREVIOUS: encryptionKeySchema.optional(),
  PUBLIC_URL: publicUrl,
  UNINSTALL_RETENTION_DAYS: z
    .string()
    .trim()
    .regex(/^\d+$/, { message: 'must be a whole number of days' })
    .transform(Number)
    .refine((n) => n <= 3650, { message: 'must be between 0 and 3650' })
    .default(DEFAULT_UNINSTALL_RETENTION_DAYS),
});

const REFUSED_IN_MULTI: Record<string, string> = {
  MEGAMEETING_URL:
    'MEGAMEETING_URL must not be set in multi-workspace mode: each workspace connects its own MegaMeeting ' +
    'account with /meet connect',
  MEGAMEETING_API_TOKEN:
    'MEGAMEETING_API_TOKEN must not be set in multi-workspace mode: each workspace connects its own ' +
    'MegaMeeting account with /meet connect',
};

/**
 * Reads the multi-workspace variables. Call it when `slackModeOf(env)` is `multi` or `both`: with both, the
 * answer is the single {@link BOTH_MODES_PROBLEM} line (the rest depends on the mode the operator meant).
 * Otherwise every problem is reported together, one line each.
 */
export function readMultiWorkspaceConfig(env: Record<string, string | undefined>): MultiWorkspaceResult {
  if (slackModeOf(env) === 'both') return { ok: false, problems: [BOTH_MODES_PROBLEM] };
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') values[k] = v;

  const parsed = multiWorkspaceEnvSchema.safeParse(values);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`);
  // One line per variable: a variable failing two checks is reported once, with the first.
  const perVariable = new Map<string, string>();
  for (const p of problems)
    perVariable.set(p.split(' ')[0] as string, perVariable.get(p.split(' ')[0] as string) ?? p);
  const lines = [...perVariable.values()];
  for (const [name, line] of Object.entries(REFUSED_IN_MULTI)) if (present(env, name)) lines.push(line);
  if (
    parsed.success &&
    parsed.data.ENCRYPTION_KEY_PREVIOUS &&
    parsed.data.ENCRYPTION_KEY.equals(parsed.data.ENCRYPTION_KEY_PREVIOUS)
  ) {
    lines.push(
      'ENCRYPTION_KEY_PREVIOUS is the same key as ENCRYPTION_KEY: set it to the former key, or unset it',
    );
  }
  if (!parsed.success || lines.length > 0) return { ok: false, problems: lines };

  const e = parsed.data;
  return {
    ok: true,
    config: {
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      signingSecret: e.SLACK_SIGNING_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
      encryptionKey: e.ENCRYPTION_KEY,
      encryptionKeyPrevious: e.ENCRYPTION_KEY_PREVIOUS,
      publicUrl: e.PUBLIC_URL,
      redirectUri: `${e.PUBLIC_URL}/slack/oauth_redirect`,
      uninstallRetentionDays: e.UNINSTALL_RETENTION_DAYS,
    },
  };
}
