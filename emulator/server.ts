/**
 * The emulator's HTTP server (plain node:http):
 *
 * - `/api`            GraphQL (POST JSON or application/graphql; GET ?query=), token in the `apiToken` header
 *                     or `?apiToken=`; subject to injected faults and latency; every request is logged.
 * - `/meeting/`       join page for `?id=<meetId>` or `?key=<guestKey>`
 * - `/getweb`         download of a processed recording (`?recordingkey=/<recPackage>`)
 * - `/videoplayer/`   playback page of a processed recording (`?key=<meetId>&session=<epochMs>`)
 * - `/?token=`        the one-time login link of the `login` mutation
 * - `/_emulator/…`    the control API (JSON), see control.ts
 *
 * It never throws out of a request handler: anything unexpected answers 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLFormattedError,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { handleControl } from './control.js';
import { EmulatorError } from './errors.js';
import { fastExecute } from './fast-path.js';
import { MAX_BODY_BYTES, readBody, sendJson } from './http.js';
import { FAKE_MP4, page } from './pages.js';
import { rootValue } from './resolvers.js';
import { schema } from './schema.js';
import type { EmulatorState, FaultMode, RequestLogEntry } from './state.js';

export interface EmulatorServer {
  server: Server;
  /** Ends hanging requests and pending latency timers, then closes the server. */
  close(): Promise<void>;
}

function sendHtml(res: ServerResponse, status: number, html: string, head = false) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(head ? undefined : html);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * The error as JSON, always with `extensions.code`: its own, else `fallback`. In execution results, an error
 * without a code thrown by a resolver is an emulator bug: INTERNAL_SERVER_ERROR.
 */
function formatError(error: GraphQLError, fallback: string, resolverErrors = false): GraphQLFormattedError {
  const json = error.toJSON();
  let code = json.extensions?.code;
  if (code === undefined) {
    const original = error.originalError;
    code =
      resolverErrors && original && !(original instanceof GraphQLError) ? 'INTERNAL_SERVER_ERROR' : fallback;
  }
  return { ...json, extensions: { ...json.extensions, code } };
}

function requestError(code: string, message: string): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
}

/** Top-level field names of an operation (fragments on the root type followed). */
function topLevelFields(
  doc: DocumentNode,
  selectionSet: SelectionSetNode,
  seen = new Set<string>(),
): string[] {
  const out: string[] = [];
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...topLevelFields(doc, sel.selectionSet, seen));
    else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = doc.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value,
      );
      if (frag && frag.kind === Kind.FRAGMENT_DEFINITION)
        out.push(...topLevelFields(doc, frag.selectionSet, seen));
    }
  }
  return out;
}

interface GraphQLParams {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads query/variables/operationName from a POST body or GET URL; returns an error message if malformed. */
function graphqlParams(req: IncomingMessage, url: URL, body: Buffer | null): GraphQLParams | string {
  let raw: Record<string, unknown>;
  if (req.method === 'GET') {
    let variables: unknown;
    const v = url.searchParams.get('variables');
    if (v) {
      try {
        variables = JSON.parse(v);
      } catch {
        return 'variables is not valid JSON';
      }
    }
    raw = {
      query: url.searchParams.get('query') ?? undefined,
      variables,
      operationName: url.searchParams.get('operationName') ?? undefined,
    };
  } else {
    const text = (body ?? Buffer.alloc(0)).toString('utf8');
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (type.includes('application/graphql')) {
      raw = { query: text };
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return 'The request body is not valid JSON';
      }
      if (Array.isArray(parsed)) return 'Batched requests are not supported';
      if (!isRecord(parsed)) return 'The request body must be a JSON object with a "query"';
      raw = parsed;
    }
  }
  const { query, variables, operationName } = raw;
  if (typeof query !== 'string' || query.trim() === '') return 'The request needs a non-empty "query" string';
  if (variables != null && !isRecord(variables)) return '"variables" must be an object';
  if (operationName != null && typeof operationName !== 'string') return '"operationName" must be a string';
  return { query, variables: variables ?? undefined, operationName: operationName ?? undefined };
}

export function createEmulatorServer(state: EmulatorState): EmulatorServer {
  const hanging = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const root = rootValue();
  const gqlSchema = schema();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function applyFault(res: ServerResponse, fault: FaultMode): void {
    switch (fault) {
      case 'error500':
        sendJson(res, 500, requestError('INTERNAL_SERVER_ERROR', 'Internal server error (injected fault)'));
        return;
      case 'status503':
        sendHtml(
          res,
          503,
          '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n',
        );
        return;
      case 'garbage': {
        const text = '{"data": {"meetings": [{"edges": [{"node": <!-- upstream reset -->\n<html><body>oops';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const headerToken = req.headers.apitoken;
    const token =
      (Array.isArray(headerToken) ? headerToken[0] : headerToken) || url.searchParams.get('apiToken');
    const entry: RequestLogEntry = {
      at: state.now().toISOString(),
      method: req.method ?? '',
      operationType: null,
      operationName: null,
      fields: [],
      loginId: state.tokenOwner(token),
      httpStatus: 0,
      errorCodes: [],
      fault: null,
    };
    const finish = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.httpStatus = status;
      if (isRecord(body) && Array.isArray(body.errors)) {
        entry.errorCodes = body.errors.map((e: unknown) =>
          isRecord(e) && isRecord(e.extensions) ? String(e.extensions.code) : 'UNKNOWN',
        );
      }
      state.recordRequest(entry);
      const delay = state.answerDelayFor(entry.fields);
      if (delay <= 0) {
        sendJson(res, status, body, headers);
        return;
      }
      void sleep(delay).then(() => {
        if (!closed && !res.destroyed) sendJson(res, status, body, headers);
      });
    };

    if (req.method !== 'GET' && req.method !== 'POST') {
      req.resume();
      finish(405, requestError('BAD_REQUEST', `Method ${req.method} is not allowed on /api`), {
        allow: 'GET, POST',
      });
      return;
    }
    let body: Buffer | null = null;
    if (req.method === 'POST') {
      const read = await readBody(req);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too-large') {
        finish(413, requestError('BAD_REQUEST', `The request body is larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      body = read.body;
    }
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (closed || res.destroyed) return;

    const fault = state.takeFault();
    if (fault) {
      entry.fault = fault;
      entry.httpStatus =
        fault === 'hang' ? 0 : fault === 'error500' ? 500 : fault === 'status503' ? 503 : 200;
      state.recordRequest(entry);
      applyFault(res, fault);
      return;
    }

    const params = graphqlParams(req, url, body);
    if (typeof params === 'string') {
      finish(400, requestError('BAD_REQUEST', params));
      return;
    }
    let document: DocumentNode | null = null;
    let parseError: GraphQLError | null = null;
    try {
      document = parse(params.query, { maxTokens: 50_000 });
    } catch (e) {
      // graphql-js throws GraphQLError for syntax errors; a RangeError (stack) for absurdly deep nesting.
      parseError =
        e instanceof GraphQLError
          ? e
          : new EmulatorError('GRAPHQL_PARSE_FAILED', 'The query is too deeply nested');
    }
    let operation: OperationDefinitionNode | null = null;
    if (document) {
      operation = getOperationAST(document, params.operationName) ?? null;
      if (operation) {
        entry.operationType = operation.operation;
        entry.operationName = operation.name?.value ?? null;
        entry.fields = topLevelFields(document, operation.selectionSet);
      }
    }

    // Every operation needs a valid API token (as documented).
    let login: ReturnType<EmulatorState['authenticate']>;
    try {
      login = state.authenticate(token);
    } catch (e) {
      const err = e as EmulatorError;
      finish(200, { errors: [formatError(err, 'UNAUTHENTICATED')], data: null });
      return;
    }

    if (!document) {
      const err = parseError ?? (new EmulatorError('GRAPHQL_PARSE_FAILED', 'Syntax error') as GraphQLError);
      finish(400, { errors: [formatError(err, 'GRAPHQL_PARSE_FAILED')] });
      return;
    }
    let validationErrors: readonly GraphQLError[];
    try {
      validationErrors = validate(gqlSchema, document, undefined, { maxErrors: 20 });
    } catch {
      validationErrors = [
        new EmulatorError('GRAPHQL_VALIDATION_FAILED', 'The query is too complex to validate'),
      ];
    }
    if (validationErrors.length > 0) {
      finish(400, { errors: validationErrors.map((e) => formatError(e, 'GRAPHQL_VALIDATION_FAILED')) });
      return;
    }
    if (!operation) {
      const message = params.operationName
        ? `Unknown operation named "${params.operationName}"`
        : 'Must provide operation name if query contains multiple operations';
      finish(400, requestError('BAD_REQUEST', message));
      return;
    }
    if (operation.operation === 'subscription') {
      finish(400, requestError('GRAPHQL_VALIDATION_FAILED', 'This API has no subscriptions'));
      return;
    }
    if (req.method === 'GET' && operation.operation !== 'query') {
      finish(405, requestError('BAD_REQUEST', 'GET requests only support query operations: use POST'), {
        allow: 'POST',
      });
      return;
    }

    const fast = fastExecute(operation, root, { state, login });
    if (fast) {
      finish(200, fast);
      return;
    }
    const result = await execute({
      schema: gqlSchema,
      document,
      rootValue: root,
      contextValue: { state, login },
      variableValues: params.variables,
      operationName: params.operationName,
    });
    if (result.data === undefined) {
      // A request error (e.g. variables that do not coerce): nothing ran.
      finish(400, { errors: (result.errors ?? []).map((e) => formatError(e, 'BAD_USER_INPUT')) });
      return;
    }
    if (result.errors && result.errors.length > 0) {
      finish(200, {
        errors: result.errors.map((e) => formatError(e, 'INTERNAL_SERVER_ERROR', true)),
        data: null,
      });
      return;
    }
    finish(200, { data: result.data });
  }

  function handleMeetingPage(res: ServerResponse, url: URL, head: boolean): void {
    const key = url.searchParams.get('key');
    const id = url.searchParams.get('id');
    const name = url.searchParams.get('name');
    const go = url.searchParams.get('go') === '1';
    if (go && !name && !key) {
      sendHtml(res, 400, page('Name required', ['The go parameter needs a name parameter.']), head);
      return;
    }
    if (key) {
      const guest = state.guests.get(key);
      const meeting = guest ? state.meetings.get(guest.meetId) : undefined;
      if (!guest || !meeting) {
        sendHtml(res, 404, page('Link not valid', ['This personal meeting link is not valid.']), head);
        return;
      }
      if (meeting.endedAt) {
        sendHtml(res, 410, page('Meeting ended', [`Meeting ${meeting.meetId} has ended.`]), head);
        return;
      }
      sendHtml(
        res,
        200,
        page(
          `Joining ${meeting.name}`,
          [
            `Meeting ${meeting.meetId}: ${meeting.name}`,
            `Verified guest: ${guest.guestName}`,
            `Permissions: ${guest.permissions.join(', ') || 'meeting defaults'}`,
            go ? 'Joining immediately (go=1).' : 'Landing page: press Join.',
          ],
          { 'meet-id': meeting.meetId, guest: guest.guestName, go: String(go) },
        ),
        head,
      );
      return;
    }
    if (!id) {
      sendHtml(
        res,
        400,
        page('Meeting link incomplete', ['The link needs ?id=<meeting ID> or ?key=<guest key>.']),
        head,
      );
      return;
    }
    const meeting = state.meetings.get(id);
    if (!meeting) {
      sendHtml(res, 404, page('Meeting not found', [`There is no meeting ${id}.`]), head);
      return;
    }
    if (meeting.endedAt) {
      sendHtml(res, 410, page('Meeting ended', [`Meeting ${meeting.meetId} has ended.`]), head);
      return;
    }
    if (meeting.options.requireVerification || meeting.options.enableRegistration) {
      sendHtml(
        res,
        403,
        page('Personal link required', [
          `Meeting ${meeting.meetId} admits verified guests or registered attendees only.`,
          'Join with your personal link (/meeting/?key=…).',
        ]),
        head,
      );
      return;
    }
    sendHtml(
      res,
      200,
      page(
        `Joining ${meeting.name}`,
        [
          `Meeting ${meeting.meetId}: ${meeting.name}`,
          name ? `Joining as ${name}` : 'Enter your name to join.',
          go ? 'Joining immediately (go=1).' : 'Landing page: press Join.',
        ],
        { 'meet-id': meeting.meetId, ...(name ? { name } : {}), go: String(go) },
      ),
      head,
    );
  }

  function handleGetweb(res: ServerResponse, url: URL, head: boolean): void {
    const key = (url.searchParams.get('recordingkey') ?? '').replace(/^\/+/, '');
    const rec = key ? state.recordingByPackage(key) : undefined;
    if (rec?.remuxStatus !== 'completed') {
      sendText(res, 404, rec ? 'Recording not processed yet\n' : 'Recording not found\n');
      return;
    }
    const file = rec.recPackage.split('/').pop() ?? 'recording.mp4';
    res.writeHead(200, {
      'content-type': 'video/mp4',
      'content-length': FAKE_MP4.length,
      'content-disposition': `attachment; filename="${file.replace(/"/g, '')}"`,
    });
    res.end(head ? undefined : FAKE_MP4);
  }

  function handleVideoPlayer(res: ServerResponse, url: URL, head: boolean): void {
    const meetId = url.searchParams.get('key') ?? '';
    const session = url.searchParams.get('session') ?? '';
    const rec = state.recordingBySession(meetId, session);
    if (rec?.remuxStatus !== 'completed') {
      sendHtml(res, 404, page('Recording not available', ['No processed recording at this address.']), head);
      return;
    }
    sendHtml(
      res,
      200,
      page(
        `Recording of ${rec.title}`,
        [`Meeting ${rec.meetId}, session ${rec.session}`, `File: ${rec.recPackage}`],
        { 'rec-id': rec.recId, 'meet-id': rec.meetId },
      ),
      head,
    );
  }

  function handleRoot(res: ServerResponse, url: URL, head: boolean): void {
    const token = url.searchParams.get('token');
    if (token) {
      const login = state.useLoginLink(token);
      if (!login) {
        sendHtml(
          res,
          410,
          page('Login link not valid', ['This one-time login link is unknown or was used.']),
          head,
        );
        return;
      }
      sendHtml(res, 200, page('Logged in', [`Logged in as ${login.userName} (${login.email}).`]), head);
      return;
    }
    sendHtml(
      res,
      200,
      page('MegaMeeting emulator', [
        'GraphQL: POST /api with the apiToken header.',
        'Join links: /meeting/?id=<meetId> or /meeting/?key=<guestKey>.',
        'Control API: /_emulator/state, /_emulator/reset, … (see emulator/README.md).',
      ]),
      head,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;
    if (path === '/api' || path === '/api/') return handleApi(req, res, url);
    if (path === '/_emulator' || path.startsWith('/_emulator/')) return handleControl(state, req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      sendText(res, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const head = req.method === 'HEAD';
    if (path === '/meeting/' || path === '/meeting') return handleMeetingPage(res, url, head);
    if (path === '/getweb' || path === '/getweb/') return handleGetweb(res, url, head);
    if (path === '/videoplayer/' || path === '/videoplayer') return handleVideoPlayer(res, url, head);
    if (path === '/') return handleRoot(res, url, head);
    sendHtml(res, 404, page('Not found', [`Nothing at ${path}.`]), head);
  }

  const server = createServer((req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    handle(req, res).catch((e: unknown) => {
      // A bug in the emulator: answer 500 and keep serving.
      console.error('[emulator] internal error', e);
      if (!res.headersSent)
        sendJson(res, 500, requestError('INTERNAL_SERVER_ERROR', 'Emulator internal error'));
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const res of hanging) res.destroy();
    hanging.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  return { server, close };
}
