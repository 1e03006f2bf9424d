/**
 * The GraphQL schema of the emulated MegaMeeting API: exactly the 20 documented operations with their
 * documented argument shapes, and only the documented output fields (so a client asking for anything the
 * documentation does not show fails validation here, as it might against the real service).
 *
 * Root fields are non-null so that any error answers `"data": null` and stops a mutation document at the
 * first failing field.
 */
import { buildSchema, type GraphQLSchema } from 'graphql';

export const typeDefs = /* GraphQL */ `
"Verified-guest permissions (documented values, plus moderator: an additional host)."
enum Permission {
  webcam
  microphone
  screenSharing
  chat
  fileUpload
  fileDownload
  webVideoPlayer
  moderator
}

type Meeting {
  meetId: ID!
  name: String!
}
type MeetingEdge {
  node: Meeting!
}
type MeetingConnection {
  edges: [MeetingEdge!]!
}

type Login {
  userName: String!
  loginId: ID!
  email: String!
  fullName: String!
  "1 active, 0 inactive"
  active: Int!
  "comma-separated, e.g. owner,admin,host"
  roles: String!
}
type LoginEdge {
  node: Login!
}
type LoginConnection {
  edges: [LoginEdge!]!
}

type Recording {
  accId: ID!
  alId: ID!
  recId: ID!
  meetId: ID!
  recPackage: String!
  "null until remuxStatus is completed"
  recPlay: String
  "e.g. Feb 8, 2021 10:50:20 (UTC)"
  recCreateDateTime: String!
  "waiting, processing, completed or failed"
  remuxStatus: String!
}

type ApiTokenDetails {
  domain: String!
  "null when the login has no API token"
  apiToken: String
  createdAt: String
  lastUsed: String
}

type VerifiedGuest {
  guestName: String!
  key: String!
  meetingLink: String!
}

type Response {
  message: String
  result: String
  status: String
}

input StartRemuxInput {
  accountId: ID!
  loginId: ID!
  meetId: ID!
  recordingId: ID!
}

input CreateMeetingInput {
  meetingName: String
  "e.g. Fri Feb 12 2021 10:00:00 -0600"
  scheduledDateTime: String
  "e.g. CST/UTC-06:00"
  scheduledTimeZone: String
  endDateTime: String
  "create on behalf of this login (admin only for another login)"
  loginId: ID
  requireVerification: Boolean
  enableRegistration: Boolean
  disableVideo: Boolean
  disableAudio: Boolean
  disableScreen: Boolean
  disableFileUpload: Boolean
  disableWebVideoPlayer: Boolean
  enableRestrictedUserList: Boolean
  enableRestrictedChat: Boolean
}

input UpdateMeetingInput {
  meetId: ID!
  meetName: String
  scheduledDateTime: String
  scheduledTimeZone: String
  endDateTime: String
}

input AddVerifiedGuestInput {
  meetId: ID!
  guestName: String
  email: String
  permissions: [Permission!]
}

input RolesInput {
  host: Boolean
  admin: Boolean
}

input CreateLoginInput {
  email: String!
  fullName: String
  roles: RolesInput
  phoneNumber: String
  password: String
}

input UpdateLoginInput {
  loginId: ID!
  email: String
  fullName: String
  roles: RolesInput
  phoneNumber: String
  password: String
}

type Query {
  meetings: [MeetingConnection!]!
  logins: [LoginConnection!]!
  recordings: [Recording!]!
  startRemux(input: StartRemuxInput!): Response!
  apiTokenDetails(loginId: ID!): ApiTokenDetails!
  getVerifiedGuest(meetId: ID!): [VerifiedGuest!]!
}

type Mutation {
  createMeeting(input: CreateMeetingInput!): Response!
  updateMeeting(input: UpdateMeetingInput!): Response!
  endMeeting(meetId: ID!): Response!
  addVerifiedGuest(input: AddVerifiedGuestInput!): Response!
  updateVerifiedGuest(key: String!, meetId: ID!, permissions: [Permission!], guestName: String): Response!
  removeVerifiedGuest(key: String!, meetId: ID!): Response!
  createLogin(input: CreateLoginInput!): Response!
  updateLogin(input: UpdateLoginInput!): Response!
  deleteLogin(loginId: ID!): Response!
  createAPIToken(loginId: ID!): Response!
  revokeAPIToken(loginId: ID!): Response!
  userInvitation(email: String, loginId: ID): Response!
  login(loginId: ID!): Response!
  deleteRecording(recId: ID!, accId: ID!): Response!
}
`;

let cached: GraphQLSchema | undefined;

/** The schema (built once). Resolvers come from resolvers.ts as a rootValue. */
export function schema(): GraphQLSchema {
  cached ??= buildSchema(typeDefs);
  return cached;
}
