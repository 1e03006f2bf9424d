/**
 * The message shortcut "Meet about this": opens its form (Slack only, within the trigger's 3 seconds), then starts
 * an instant meeting through MeetingsService like `/meet @author <title>` would, its card posted in the message's
 * thread and the message's author invited by DM.
 */

import type { SlackGateway } from '../slack/gateway.js';
import { buildMeetAboutModal, type MeetAboutForm, type MeetAboutInput } from '../views/meet-about.js';
import type { MeetingsService } from './meetings.js';

export interface MeetAboutDeps {
  meetings: Pick<MeetingsService, 'create'>;
  slack: Pick<SlackGateway, 'openView'>;
}

export class MeetAboutService {
  constructor(private readonly deps: MeetAboutDeps) {}

  /** The form. Nothing but views.open is called: MegaMeeting is asked only once it is submitted. */
  async openModal(triggerId: string, input: MeetAboutInput): Promise<void> {
    await this.deps.slack.openView(triggerId, buildMeetAboutModal(input));
  }

  /** The submitted form: an instant meeting, its card in the thread, the author invited. */
  async start(
    form: Extract<MeetAboutForm, { ok: true }>,
    ctx: { teamId: string; userId: string },
  ): Promise<void> {
    await this.deps.meetings.create({
      teamId: ctx.teamId,
      channelId: form.channelId,
      hostUserId: ctx.userId,
      title: form.title,
      kind: 'instant',
      threadTs: form.threadTs,
      invitees: form.invitees.filter((u) => u !== ctx.userId),
      ...(form.responseUrl ? { responseUrl: form.responseUrl } : {}),
    });
  }
}
