/**
 * The control API under `/_emulator/` (JSON in, JSON out). It has no authentication: it is protected only by
 * the server binding to loopback (127.0.0.1) by default. Not subject to injected faults or latency, not logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { EmulatorError, httpStatusFor } from './errors.js';
import { readBody, sendJson } from './http.js';
import {
  type EmulatorState,
  FAULT_MODES,
  MEETING_FLAGS,
  PERMISSIONS,
  REMUX_STATUSES,
  ROLES,
} from './state.js';

const loginBody = z.object({
  email: z.string(),
  loginId: z.string().min(1).optional(),
  apiToken: z.string().min(8).optional(),
  fullName: z.string().optional(),
  userName: z.string().min(1).optional(),
  roles: z.array(z.enum(ROLES)).optional(),
  active: z.union([z.boolean(), z.literal(0), z.literal(1)]).optional(),
  phoneNumber: z.string().optional(),
});

const meetingBody = z.object({
  name: z.string(),
  meetId: z.string().min(1).optional(),
  loginId: z.string().optional(),
  scheduledDateTime: z.string().optional(),
  scheduledTimeZone: z.string().optional(),
  endDateTime: z.string().optional(),
  ...Object.fromEntries(MEETING_FLAGS.map((f) => [f, z.boolean().optional()])),
});

const recordingBody = z.object({
  meetId: z.string(),
  loginId: z.string().optional(),
  title: z.string().optional(),
  remuxStatus: z.enum(REMUX_STATUSES).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  recId: z.string().min(1).optional(),
  session: z.number().int().min(0).optional(),
});
const guestBody = z.object({
  meetId: z.string(),
  guestName: z.string(),
  email: z.string().optional(),
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
  key: z.string().min(1).optional(),
});
const bulkRecordingBody = recordingBody.extend({ count: z.number().int().min(1).max(100_000) });

const faultBody = z.object({
  mode: z.enum(FAULT_MODES),
  count: z.number().int().min(0).max(1_000_000).default(1),
});
const latencyBody = z.object({ ms: z.number().min(0).max(600_000) });
const answerLatencyBody = z.object({ operation: z.string().min(1), ms: z.number().min(0).max(600_000) });
const configBody = z.object({
  remuxDelayMs: z.number().min(0).optional(),
  licenses: z.number().int().min(1).optional(),
});

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const read = await readBody(req);
  if (read.kind === 'too-large') throw new ControlError(413, 'BAD_REQUEST', 'The request body is too large');
  if (read.kind === 'aborted') throw new ControlError(400, 'BAD_REQUEST', 'The request was aborted');
  const text = read.body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlError(400, 'BAD_REQUEST', 'The request body is not valid JSON');
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ControlError(400, 'BAD_REQUEST', detail);
  }
  return parsed.data;
}

export async function handleControl(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const route = `${method} ${path}`;
  try {
    const endAction = /^\/_emulator\/meetings\/([^/]+)\/end$/.exec(path);
    if (endAction && method === 'POST') {
      req.resume();
      const meeting = state.endMeeting(decodeURIComponent(endAction[1] ?? ''));
      sendJson(res, 200, { ...meeting, ended: true });
      return;
    }
    const recAction = /^\/_emulator\/recordings\/([^/]+)\/(fail|complete)$/.exec(path);
    if (recAction && method === 'POST') {
      req.resume();
      const recId = decodeURIComponent(recAction[1] ?? '');
      const rec = recAction[2] === 'fail' ? state.failRecording(recId) : state.completeRecording(recId);
      sendJson(res, 200, rec);
      return;
    }
    switch (route) {
      case 'GET /_emulator/state':
        sendJson(res, 200, state.snapshot());
        return;
      case 'POST /_emulator/reset':
        req.resume();
        state.reset();
        sendJson(res, 200, { ok: true, adminToken: state.adminToken, adminLoginId: state.adminLoginId });
        return;
      case 'POST /_emulator/logins': {
        const body = check(loginBody, await jsonBody(req));
        sendJson(res, 201, state.addLogin(body));
        return;
      }
      case 'POST /_emulator/meetings': {
        const body = check(meetingBody, await jsonBody(req)) as z.infer<typeof meetingBody> &
          Partial<Record<(typeof MEETING_FLAGS)[number], boolean>>;
        const meeting = state.addMeeting(body);
        sendJson(res, 201, { ...meeting, ended: meeting.endedAt !== null });
        return;
      }
      case 'POST /_emulator/recordings': {
        const body = check(recordingBody, await jsonBody(req));
        const { createdAt, ...rest } = body;
        sendJson(
          res,
          201,
          state.addRecording({ ...rest, ...(createdAt ? { createdAt: new Date(createdAt) } : {}) }),
        );
        return;
      }
      case 'POST /_emulator/recordings/bulk': {
        const { count, createdAt, ...rest } = check(bulkRecordingBody, await jsonBody(req));
        const recIds = state.addRecordings(count, {
          ...rest,
          ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
        });
        sendJson(res, 201, { count: recIds.length, recIds });
        return;
      }
      case 'POST /_emulator/guests': {
        const body = check(guestBody, await jsonBody(req));
        const guest = state.addGuest(body);
        sendJson(res, 201, { ...guest, meetingLink: state.meetingLink(guest.key) });
        return;
      }
      case 'POST /_emulator/faults': {
        const { mode, count } = check(faultBody, await jsonBody(req));
        state.injectFaults(mode, count);
        sendJson(res, 200, { faults: state.faults });
        return;
      }
      case 'DELETE /_emulator/faults':
        req.resume();
        state.clearFaults();
        sendJson(res, 200, { faults: state.faults });
        return;
      case 'POST /_emulator/latency': {
        const { ms } = check(latencyBody, await jsonBody(req));
        state.setLatency(ms);
        sendJson(res, 200, { latencyMs: state.latencyMs });
        return;
      }
      case 'POST /_emulator/answer-latency': {
        const { operation, ms } = check(answerLatencyBody, await jsonBody(req));
        state.setAnswerLatency(operation, ms);
        sendJson(res, 200, { answerLatency: Object.fromEntries(state.answerLatency) });
        return;
      }
      case 'POST /_emulator/config': {
        const body = check(configBody, await jsonBody(req));
        if (body.remuxDelayMs !== undefined) state.remuxDelayMs = body.remuxDelayMs;
        if (body.licenses !== undefined) state.licenses = body.licenses;
        sendJson(res, 200, { remuxDelayMs: state.remuxDelayMs, licenses: state.licenses });
        return;
      }
      case 'GET /_emulator/requests':
        sendJson(res, 200, state.requests());
        return;
      case 'DELETE /_emulator/requests':
        req.resume();
        state.clearRequests();
        sendJson(res, 200, { ok: true });
        return;
    }
    req.resume();
    const known = [
      '/_emulator/state',
      '/_emulator/reset',
      '/_emulator/logins',
      '/_emulator/meetings',
      '/_emulator/recordings',
      '/_emulator/recordings/bulk',
      '/_emulator/faults',
      '/_emulator/guests',
      '/_emulator/latency',
      '/_emulator/config',
      '/_emulator/requests',
    ];
    if (known.includes(path) || recAction || endAction) {
      sendJson(res, 405, {
        error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}` },
      });
      return;
    }
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No control endpoint ${route}` } });
  } catch (e) {
    if (e instanceof ControlError) {
      sendJson(res, e.status, { error: { code: e.code, message: e.message } });
    } else if (e instanceof EmulatorError) {
      sendJson(res, httpStatusFor(e.code), { error: { code: e.code, message: e.message } });
    } else {
      throw e;
    }
  }
}
