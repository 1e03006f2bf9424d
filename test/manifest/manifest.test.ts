import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SHORTCUTS } from '../../src/views/ids.js';
import { assertValidManifest } from '../support/manifest.js';

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));

describe('manifest.yml', () => {
  test("validates against Slack's manifest schema", () => {
    expect(() => assertValidManifest(manifest)).not.toThrow();
  });

  test('/meet escapes mentions and every Request URL is /slack/events', () => {
    const meet = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/meet');
    expect(meet.should_escape).toBe(true);
    expect(meet.usage_hint.length).toBeGreaterThan(0);
    for (const url of [
      meet.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      manifest.settings.event_subscriptions.request_url,
    ]) {
      expect(new URL(url).pathname).toBe('/slack/events');
    }
  });

  test('subscribes to the events the features need', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'user_change']),
    );
    // user_change needs users:read; the deactivated member's email needs users:read.email.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['users:read', 'users:read.email']),
    );
  });

  test('asks for the scopes the features need', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'chat:write.public',
        'users:read',
        'users:read.email',
        'im:write',
        'im:history',
        'channels:read',
        'groups:read',
        // Looking up a card or DM whose answer was lost (conversations.history).
        'channels:history',
        'groups:history',
        'mpim:history',
        // Slack calls on meeting cards.
        'calls:read',
        'calls:write',
        // Unfurled meeting links.
        'links:read',
        'links:write',
      ]),
    );
  });

  test('declares both shortcuts with the callback_ids the app listens for', () => {
    const byType = (type: string) =>
      manifest.features.shortcuts.filter((s: { type: string }) => s.type === type);
    expect(byType('global')).toEqual([
      expect.objectContaining({ name: 'Start a MegaMeeting', callback_id: SHORTCUTS.startMeeting }),
    ]);
    expect(byType('message')).toEqual([
      expect.objectContaining({ name: 'Meet about this', callback_id: SHORTCUTS.meetAboutThis }),
    ]);
  });

  test('meeting links unfurl: a registered domain and the link_shared event', () => {
    expect(manifest.features.unfurl_domains).toEqual(['myaccount.megameeting.com']);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('link_shared');
  });
});
