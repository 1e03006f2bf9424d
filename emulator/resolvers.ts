/**
 * Root resolvers: each documented operation maps to one EmulatorState method, called with the login that
 * owns the request's API token. graphql-js calls root fields as `rootValue[field](args, context)`.
 */
import type {
  AddVerifiedGuestArgs,
  CreateLoginArgs,
  CreateMeetingArgs,
  EmulatorState,
  LoginRecord,
  StartRemuxArgs,
  UpdateLoginArgs,
  UpdateMeetingArgs,
  UpdateVerifiedGuestArgs,
} from './state.js';

export interface RequestContext {
  state: EmulatorState;
  login: LoginRecord;
}

type Resolver<A> = (args: A, ctx: RequestContext) => unknown;

export function rootValue(): Record<string, Resolver<never>> {
  const root = {
    // Queries
    meetings: (_: object, { state, login }) => [
      { edges: state.apiMeetings(login).map((node) => ({ node })) },
    ],
    logins: (_: object, { state, login }) => [{ edges: state.apiLogins(login).map((node) => ({ node })) }],
    recordings: (_: object, { state, login }) => state.apiRecordings(login),
    startRemux: ({ input }: { input: StartRemuxArgs }, { state, login }) => state.apiStartRemux(login, input),
    apiTokenDetails: ({ loginId }: { loginId: string }, { state, login }) =>
      state.apiTokenDetails(login, loginId),
    getVerifiedGuest: ({ meetId }: { meetId: string }, { state, login }) =>
      state.apiGetVerifiedGuest(login, meetId),
    // Mutations
    createMeeting: ({ input }: { input: CreateMeetingArgs }, { state, login }) =>
      state.apiCreateMeeting(login, input),
    updateMeeting: ({ input }: { input: UpdateMeetingArgs }, { state, login }) =>
      state.apiUpdateMeeting(login, input),
    endMeeting: ({ meetId }: { meetId: string }, { state, login }) => state.apiEndMeeting(login, meetId),
    addVerifiedGuest: ({ input }: { input: AddVerifiedGuestArgs }, { state, login }) =>
      state.apiAddVerifiedGuest(login, input),
    updateVerifiedGuest: (args: UpdateVerifiedGuestArgs, { state, login }) =>
      state.apiUpdateVerifiedGuest(login, args),
    removeVerifiedGuest: (args: { key: string; meetId: string }, { state, login }) =>
      state.apiRemoveVerifiedGuest(login, args),
    createLogin: ({ input }: { input: CreateLoginArgs }, { state, login }) =>
      state.apiCreateLogin(login, input),
    updateLogin: ({ input }: { input: UpdateLoginArgs }, { state, login }) =>
      state.apiUpdateLogin(login, input),
    deleteLogin: ({ loginId }: { loginId: string }, { state, login }) => state.apiDeleteLogin(login, loginId),
    createAPIToken: ({ loginId }: { loginId: string }, { state, login }) =>
      state.apiCreateAPIToken(login, loginId),
    revokeAPIToken: ({ loginId }: { loginId: string }, { state, login }) =>
      state.apiRevokeAPIToken(login, loginId),
    userInvitation: (args: { email?: string | null; loginId?: string | null }, { state, login }) =>
      state.apiUserInvitation(login, args),
    login: ({ loginId }: { loginId: string }, { state, login }) => state.apiLogin(login, loginId),
    deleteRecording: (args: { recId: string; accId: string }, { state, login }) =>
      state.apiDeleteRecording(login, args),
  } satisfies Record<string, (args: never, ctx: RequestContext) => unknown>;
  return root as Record<string, Resolver<never>>;
}
