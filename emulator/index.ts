/**
 * The MegaMeeting emulator: a local stand-in for a MegaMeeting account's GraphQL API, join pages, downloads
 * and playback, with a control API for tests. See emulator/README.md.
 *
 *   const emu = await startEmulator({ remuxDelayMs: 0 });
 *   fetch(`${emu.url}/api`, { method: 'POST', headers: { apiToken: emu.adminToken, 'content-type': 'application/json' }, … });
 *   await emu.close();
 */
import type { AddressInfo } from 'node:net';
import { createEmulatorServer } from './server.js';
import { EmulatorState, type OwnerOptions } from './state.js';

export { EmulatorError, type EmulatorErrorCode } from './errors.js';
export { MAX_BODY_BYTES } from './http.js';
export * from './state.js';

export interface StartEmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (the control API is protected only by this). */
  host?: string;
  /** The owner's (admin) API token; generated when absent. */
  adminToken?: string;
  /** Delay from startRemux to `completed`; 0 completes on the next read. Default 2000. */
  remuxDelayMs?: number;
  /** The account URL written into links (meetingLink, login URL, apiTokenDetails.domain); default `url`. */
  baseUrl?: string;
  /** The clock (request log, token dates, remux progress, recording dates). Default: real time. */
  now?: () => Date;
  /** Licenses of the account (createLogin answers status "failed" past it). Default 50. */
  licenses?: number;
  /** The account id (accId); 24 random hex digits when absent. */
  accountId?: string;
  /** The owner login (roles owner,admin,host): fixed loginId, email (default owner@example.com), names. */
  owner?: OwnerOptions;
}

export interface Emulator {
  /** The account URL, e.g. http://127.0.0.1:4000 (no trailing slash). GraphQL is at `${url}/api`. */
  url: string;
  /** `${url}/api` */
  apiUrl: string;
  /** The owner's API token (roles owner,admin,host). */
  adminToken: string;
  adminLoginId: string;
  /** The account's accId (24 hex digits). */
  accountId: string;
  /** The in-memory state, with helpers mirroring the control API. */
  state: EmulatorState;
  /** Stops the server, ending hanging requests. Idempotent. */
  close(): Promise<void>;
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<Emulator> {
  if (opts.adminToken !== undefined && !/^\S{8,}$/.test(opts.adminToken)) {
    throw new Error('adminToken must be at least 8 characters without spaces');
  }
  const state = new EmulatorState({
    ...(opts.adminToken !== undefined ? { adminToken: opts.adminToken } : {}),
    ...(opts.remuxDelayMs !== undefined ? { remuxDelayMs: opts.remuxDelayMs } : {}),
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.licenses !== undefined ? { licenses: opts.licenses } : {}),
    ...(opts.accountId !== undefined ? { accountId: opts.accountId } : {}),
    ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
  });
  const { server, close } = createEmulatorServer(state);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  if (opts.baseUrl === undefined) state.baseUrl = url;
  return {
    url,
    apiUrl: `${url}/api`,
    adminToken: state.adminToken,
    adminLoginId: state.adminLoginId,
    accountId: state.accountId,
    state,
    close,
  };
}
