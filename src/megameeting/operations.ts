// Over 300 lines on purpose: one typed function per documented MegaMeeting operation, the API's whole surface
// in one place.
/**
 * The 20 documented MegaMeeting operations as graphql-js ASTs (design.md, reading 10).
 *
 * The documentation never names its input types, so arguments are passed inline, in the documented shapes,
 * never through typed variables. Every value is an AST literal (StringValue, BooleanValue, EnumValue,
 * ListValue, ObjectValue) printed by graphql-js's `print()`, which escapes strings; field and argument names
 * are constants of this file. No user text is ever concatenated into an operation, so none can change it.
 * IDs always travel as strings. Permission enum values are checked against the documented list before they
 * become EnumValue nodes (an EnumValue is printed verbatim).
 */
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  Kind,
  type ObjectFieldNode,
  OperationTypeNode,
  print,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MegaMeetingError } from './errors.js';
import {
  type AddVerifiedGuestInput,
  type CreateLoginInput,
  type CreateMeetingInput,
  GUEST_PERMISSIONS,
  type GuestPermission,
  type StartRemuxInput,
  type UpdateLoginInput,
  type UpdateMeetingInput,
  type UpdateVerifiedGuestInput,
} from './types.js';

export type OperationName =
  | 'meetings'
  | 'logins'
  | 'recordings'
  | 'startRemux'
  | 'apiTokenDetails'
  | 'getVerifiedGuest'
  | 'createMeeting'
  | 'updateMeeting'
  | 'endMeeting'
  | 'addVerifiedGuest'
  | 'updateVerifiedGuest'
  | 'removeVerifiedGuest'
  | 'createLogin'
  | 'updateLogin'
  | 'deleteLogin'
  | 'createAPIToken'
  | 'revokeAPIToken'
  | 'userInvitation'
  | 'login'
  | 'deleteRecording';

export interface Operation {
  /** The root field, which is also the operation's name in errors and logs. */
  name: OperationName;
  type: 'query' | 'mutation';
  document: DocumentNode;
}

// ---------------------------------------------------------------------------------------------------------
// AST helpers

/** A selection: a leaf field name, or a field with its sub-selections. */
type Selection = string | readonly [string, readonly Selection[]];

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

function selectionSet(selections: readonly Selection[]): SelectionSetNode {
  return {
    kind: Kind.SELECTION_SET,
    selections: selections.map((s): FieldNode => {
      if (typeof s === 'string') return { kind: Kind.FIELD, name: name(s) };
      return { kind: Kind.FIELD, name: name(s[0]), selectionSet: selectionSet(s[1]) };
    }),
  };
}

export const str = (value: string): ValueNode => ({ kind: Kind.STRING, value });
export const bool = (value: boolean): ValueNode => ({ kind: Kind.BOOLEAN, value });
export const enumValue = (value: string): ValueNode => ({ kind: Kind.ENUM, value: assertName(value) });
export const list = (values: readonly ValueNode[]): ValueNode => ({ kind: Kind.LIST, values });

/** An object literal of the fields that are defined, in the given order. */
export function obj(fields: Record<string, ValueNode | undefined>): ValueNode {
  const objectFields: ObjectFieldNode[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) objectFields.push({ kind: Kind.OBJECT_FIELD, name: name(key), value });
  }
  return { kind: Kind.OBJECT, fields: objectFields };
}

/** Guards the one place a value is printed unquoted: a GraphQL Name. */
function assertName(value: string): string {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(value))
    throw new Error(`not a GraphQL name: ${JSON.stringify(value)}`);
  return value;
}

function operation(
  type: 'query' | 'mutation',
  field: OperationName,
  args: Record<string, ValueNode | undefined>,
  selections: readonly Selection[],
): Operation {
  const argumentNodes: ArgumentNode[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (value !== undefined) argumentNodes.push({ kind: Kind.ARGUMENT, name: name(key), value });
  }
  const root: FieldNode = {
    kind: Kind.FIELD,
    name: name(field),
    ...(argumentNodes.length > 0 ? { arguments: argumentNodes } : {}),
    selectionSet: selectionSet(selections),
  };
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: type === 'query' ? OperationTypeNode.QUERY : OperationTypeNode.MUTATION,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [root] },
      },
    ],
  };
  return { name: field, type, document };
}

/** The text sent over the wire. */
export function printOperation(op: Operation): string {
  return print(op.document);
}

// ---------------------------------------------------------------------------------------------------------
// Input checks: values that are not what the types say (JavaScript callers, user data) never reach the wire.

function invalid(op: OperationName, detail: string): MegaMeetingError {
  return new MegaMeetingError({ code: 'invalid_input', operation: op, detail });
}

/** A required ID or text: a non-blank string (numbers are accepted and sent as strings). */
function required(op: OperationName, field: string, value: unknown): ValueNode {
  if (typeof value === 'number' && Number.isFinite(value)) return str(String(value));
  if (typeof value !== 'string' || value.trim() === '') throw invalid(op, `${field} is required`);
  return str(value);
}

function optionalString(op: OperationName, field: string, value: unknown): ValueNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return str(String(value));
  if (typeof value !== 'string') throw invalid(op, `${field} must be a string`);
  return str(value);
}

function optionalBool(op: OperationName, field: string, value: unknown): ValueNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(op, `${field} must be true or false`);
  return bool(value);
}

const PERMISSION_SET: ReadonlySet<string> = new Set(GUEST_PERMISSIONS);

function permissions(op: OperationName, value: unknown, isRequired: boolean): ValueNode | undefined {
  if (value === undefined || value === null) {
    if (isRequired) throw invalid(op, 'permissions are required');
    return undefined;
  }
  if (!Array.isArray(value)) throw invalid(op, 'permissions must be a list');
  const unique: GuestPermission[] = [];
  for (const p of value as unknown[]) {
    if (typeof p !== 'string' || !PERMISSION_SET.has(p)) {
      throw invalid(op, `unknown permission ${JSON.stringify(String(p)).slice(0, 40)}`);
    }
    if (!unique.includes(p as GuestPermission)) unique.push(p as GuestPermission);
  }
  return list(unique.map(enumValue));
}

function roles(op: OperationName, value: CreateLoginInput['roles'] | undefined): ValueNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw invalid(op, 'roles must be an object');
  return obj({
    host: optionalBool(op, 'roles.host', value.host),
    admin: optionalBool(op, 'roles.admin', value.admin),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Selections

const MUTATION_RESULT: readonly Selection[] = ['message', 'result', 'status'];
const REMUX_RESULT: readonly Selection[] = ['status', 'message', 'result'];
const MEETING_NODE: readonly Selection[] = ['meetId', 'name'];
const LOGIN_NODE: readonly Selection[] = ['userName', 'loginId', 'email', 'fullName', 'active', 'roles'];
const RECORDING: readonly Selection[] = [
  'accId',
  'alId',
  'recId',
  'meetId',
  'recPackage',
  'recPlay',
  'recCreateDateTime',
  'remuxStatus',
];

const connection = (node: readonly Selection[]): readonly Selection[] => [['edges', [['node', node]]]];

// ---------------------------------------------------------------------------------------------------------
// The operations, in the order of the documentation

export const operations = {
  meetings(): Operation {
    return operation('query', 'meetings', {}, connection(MEETING_NODE));
  },

  logins(): Operation {
    return operation('query', 'logins', {}, connection(LOGIN_NODE));
  },

  /** A query, exactly as documented (design.md, reading 3). */
  startRemux(input: StartRemuxInput): Operation {
    const op = 'startRemux';
    return operation(
      'query',
      op,
      {
        input: obj({
          accountId: required(op, 'accountId', input?.accountId),
          loginId: required(op, 'loginId', input?.loginId),
          meetId: required(op, 'meetId', input?.meetId),
          recordingId: required(op, 'recordingId', input?.recordingId),
        }),
      },
      REMUX_RESULT,
    );
  },

  recordings(): Operation {
    return operation('query', 'recordings', {}, RECORDING);
  },

  apiTokenDetails(loginId: string): Operation {
    return operation(
      'query',
      'apiTokenDetails',
      { loginId: required('apiTokenDetails', 'loginId', loginId) },
      ['domain', 'apiToken', 'createdAt', 'lastUsed'],
    );
  },

  getVerifiedGuest(meetId: string): Operation {
    return operation(
      'query',
      'getVerifiedGuest',
      { meetId: required('getVerifiedGuest', 'meetId', meetId) },
      ['guestName', 'key', 'meetingLink'],
    );
  },

  /** `meetingName` (not `meetName`), dates as preformatted strings, options only when given. */
  createMeeting(input: CreateMeetingInput): Operation {
    const op = 'createMeeting';
    return operation(
      'mutation',
      op,
      {
        input: obj({
          meetingName: required(op, 'meetingName', input?.meetingName),
          scheduledDateTime: optionalString(op, 'scheduledDateTime', input.scheduledDateTime),
          scheduledTimeZone: optionalString(op, 'scheduledTimeZone', input.scheduledTimeZone),
          endDateTime: optionalString(op, 'endDateTime', input.endDateTime),
          loginId: optionalString(op, 'loginId', input.loginId),
          requireVerification: optionalBool(op, 'requireVerification', input.requireVerification),
          enableRegistration: optionalBool(op, 'enableRegistration', input.enableRegistration),
          disableVideo: optionalBool(op, 'disableVideo', input.disableVideo),
          disableAudio: optionalBool(op, 'disableAudio', input.disableAudio),
          disableScreen: optionalBool(op, 'disableScreen', input.disableScreen),
          disableFileUpload: optionalBool(op, 'disableFileUpload', input.disableFileUpload),
          disableWebVideoPlayer: optionalBool(op, 'disableWebVideoPlayer', input.disableWebVideoPlayer),
          enableRestrictedUserList: optionalBool(
            op,
            'enableRestrictedUserList',
            input.enableRestrictedUserList,
          ),
          enableRestrictedChat: optionalBool(op, 'enableRestrictedChat', input.enableRestrictedChat),
        }),
      },
      MUTATION_RESULT,
    );
  },

  /** `meetName` (not `meetingName`), as documented. */
  updateMeeting(input: UpdateMeetingInput): Operation {
    const op = 'updateMeeting';
    return operation(
      'mutation',
      op,
      {
        input: obj({
          meetId: required(op, 'meetId', input?.meetId),
          meetName: optionalString(op, 'meetName', input.meetName),
          scheduledDateTime: optionalString(op, 'scheduledDateTime', input.scheduledDateTime),
          scheduledTimeZone: optionalString(op, 'scheduledTimeZone', input.scheduledTimeZone),
          endDateTime: optionalString(op, 'endDateTime', input.endDateTime),
        }),
      },
      MUTATION_RESULT,
    );
  },

  endMeeting(meetId: string): Operation {
    return operation(
      'mutation',
      'endMeeting',
      { meetId: required('endMeeting', 'meetId', meetId) },
      MUTATION_RESULT,
    );
  },

  /** Takes an `input` object (unlike update/remove, which take top-level arguments). */
  addVerifiedGuest(input: AddVerifiedGuestInput): Operation {
    const op = 'addVerifiedGuest';
    return operation(
      'mutation',
      op,
      {
        input: obj({
          meetId: required(op, 'meetId', input?.meetId),
          guestName: required(op, 'guestName', input.guestName),
          email: required(op, 'email', input.email),
          permissions: permissions(op, input.permissions, true),
        }),
      },
      MUTATION_RESULT,
    );
  },

  /** Top-level `key`, `meetId`, `permissions` (and `guestName`), as documented. */
  updateVerifiedGuest(input: UpdateVerifiedGuestInput): Operation {
    const op = 'updateVerifiedGuest';
    return operation(
      'mutation',
      op,
      {
        key: required(op, 'key', input?.key),
        meetId: required(op, 'meetId', input.meetId),
        guestName: optionalString(op, 'guestName', input.guestName),
        permissions: permissions(op, input.permissions, false),
      },
      MUTATION_RESULT,
    );
  },

  removeVerifiedGuest(input: { meetId: string; key: string }): Operation {
    const op = 'removeVerifiedGuest';
    return operation(
      'mutation',
      op,
      { key: required(op, 'key', input?.key), meetId: required(op, 'meetId', input.meetId) },
      MUTATION_RESULT,
    );
  },

  /** `roles` is an object (`{ host: true }`); a login is created as a host when no roles are given. */
  createLogin(input: CreateLoginInput): Operation {
    const op = 'createLogin';
    return operation(
      'mutation',
      op,
      {
        input: obj({
          email: required(op, 'email', input?.email),
          fullName: optionalString(op, 'fullName', input.fullName),
          roles: roles(op, input.roles ?? { host: true }),
          phoneNumber: optionalString(op, 'phoneNumber', input.phoneNumber),
          password: optionalString(op, 'password', input.password),
        }),
      },
      MUTATION_RESULT,
    );
  },

  updateLogin(input: UpdateLoginInput): Operation {
    const op = 'updateLogin';
    return operation(
      'mutation',
      op,
      {
        input: obj({
          loginId: required(op, 'loginId', input?.loginId),
          email: optionalString(op, 'email', input.email),
          fullName: optionalString(op, 'fullName', input.fullName),
          roles: roles(op, input.roles),
          phoneNumber: optionalString(op, 'phoneNumber', input.phoneNumber),
        }),
      },
      MUTATION_RESULT,
    );
  },

  deleteLogin(loginId: string): Operation {
    return operation(
      'mutation',
      'deleteLogin',
      { loginId: required('deleteLogin', 'loginId', loginId) },
      MUTATION_RESULT,
    );
  },

  createAPIToken(loginId: string): Operation {
    return operation(
      'mutation',
      'createAPIToken',
      { loginId: required('createAPIToken', 'loginId', loginId) },
      MUTATION_RESULT,
    );
  },

  revokeAPIToken(loginId: string): Operation {
    return operation(
      'mutation',
      'revokeAPIToken',
      { loginId: required('revokeAPIToken', 'loginId', loginId) },
      MUTATION_RESULT,
    );
  },

  /** Sends `email`, as the documented example does (design.md, reading 5). */
  userInvitation(email: string): Operation {
    return operation(
      'mutation',
      'userInvitation',
      { email: required('userInvitation', 'email', email) },
      MUTATION_RESULT,
    );
  },

  login(loginId: string): Operation {
    return operation(
      'mutation',
      'login',
      { loginId: required('login', 'loginId', loginId) },
      MUTATION_RESULT,
    );
  },

  deleteRecording(input: { recId: string; accId: string }): Operation {
    const op = 'deleteRecording';
    return operation(
      'mutation',
      op,
      { recId: required(op, 'recId', input?.recId), accId: required(op, 'accId', input.accId) },
      MUTATION_RESULT,
    );
  },
} as const;
