import type { MessageShortcut } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../logger.js';
import type { MeetAboutService } from '../services/meet-about.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ListenerApp } from '../slack/listener-router.js';
import { SHORTCUTS, VIEWS } from '../views/ids.js';
import { readMeetAboutForm, titleFromMessage } from '../views/meet-about.js';
import { teamOf } from './payload.js';
import { failureTeller } from './tell-failure.js';

/**
 * The message shortcut "Meet about this" (callback_id in manifest.yml) and its form's submission. The global
 * shortcut "Start a MegaMeeting" shares App Home's start-now form and lives in home.ts.
 */
export interface ShortcutListenersDeps {
  meetAbout: Pick<MeetAboutService, 'openModal' | 'start'>;
  slack: Pick<SlackGateway, 'tellPrivately'>;
  logger: AppLogger;
}

/** The fields we use of a `message_action` payload. */
const messageShortcutSchema = z.object({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().regex(/^[CGD][A-Z0-9]{2,}$/) }),
  response_url: z.string().url().optional(),
  message: z.object({
    ts: z.string().regex(/^\d+\.\d+$/),
    thread_ts: z
      .string()
      .regex(/^\d+\.\d+$/)
      .optional(),
    user: z.string().optional(),
    text: z.string().optional(),
  }),
});

export function register(app: ListenerApp, deps: ShortcutListenersDeps): void {
  const { meetAbout, logger } = deps;

  const tellFailure = failureTeller(deps);

  app.shortcut<MessageShortcut>(SHORTCUTS.meetAboutThis, async ({ ack, shortcut }) => {
    await ack();
    const parsed = messageShortcutSchema.safeParse(shortcut);
    if (!parsed.success) {
      logger.warn(
        { issues: parsed.error.issues.map((i) => i.path.join('.')) },
        'unreadable message shortcut',
      );
      await tellFailure(null, shortcut.user.id, null, 'start a meeting about that message');
      return;
    }
    const s = parsed.data;
    const text = s.message.text ?? '';
    try {
      await meetAbout.openModal(s.trigger_id, {
        title: titleFromMessage(text),
        excerpt: text,
        channelId: s.channel.id,
        threadTs: s.message.thread_ts ?? s.message.ts,
        authorId: s.message.user ?? null,
        userId: s.user.id,
        responseUrl: s.response_url ?? null,
      });
    } catch (err) {
      logger.warn({ err, userId: s.user.id }, 'could not open the meet-about-this form');
      await tellFailure(s.channel.id, s.user.id, err, 'open the meeting form');
    }
  });

  app.view(VIEWS.meetAbout, async ({ ack, body, view }) => {
    const form = readMeetAboutForm(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack();
    const userId = body.user.id;
    try {
      await meetAbout.start(form, { teamId: teamOf(body), userId });
    } catch (err) {
      logger.warn({ err, userId }, 'starting a meeting about a message failed');
      await tellFailure(form.channelId, userId, err, 'start the meeting');
    }
  });
}
