/** Small readers of Slack interactivity payloads shared by the listeners. */

interface PayloadBody {
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id: string } | null;
  container?: { channel_id?: string } | null;
}

/** The workspace of the payload (team, else the user's team). */
export function teamOf(body: Pick<PayloadBody, 'team' | 'user'>): string {
  return body.team?.id ?? body.user.team_id ?? '';
}

/** Who pressed a button, where, and its value (a meeting or recording ID). */
export function buttonContext(
  body: PayloadBody,
  action: { value?: string },
): { teamId: string; userId: string; channelId: string | null; value: string } {
  return {
    teamId: teamOf(body),
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container?.channel_id ?? null,
    value: action.value ?? '',
  };
}
