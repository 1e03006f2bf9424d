/**
 * What every `/meet` answers in a multi-workspace install until per-workspace MegaMeeting accounts exist
 * (issue 12, phase 2 replaces this module): said in this one place.
 */
export const NOT_CONNECTED_TEXT =
  ':warning: MegaMeeting is not connected to this workspace yet, so `/meet` cannot start or schedule meetings ' +
  "here. A workspace admin or owner connects the workspace's MegaMeeting account (its URL and an admin API " +
  'token); until then, ask your Slack admin.';

export function notConnectedReply(): { response_type: 'ephemeral'; text: string } {
  return { response_type: 'ephemeral', text: NOT_CONNECTED_TEXT };
}
