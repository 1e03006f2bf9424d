import { parse } from 'yaml';
import { assertValidManifest, ManifestValidationError, validateManifest } from '../support/manifest.js';

const minimal = { display_information: { name: 'MegaMeeting' } };

const full = parse(`
display_information:
  name: MegaMeeting
  description: Start and schedule MegaMeeting rooms from Slack
  background_color: "#1d4ed8"
features:
  app_home:
    home_tab_enabled: true
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  bot_user:
    display_name: MegaMeeting
    always_online: true
  slash_commands:
    - command: /meet
      url: https://example.com/slack/events
      description: Start or schedule a MegaMeeting
      usage_hint: "[title] [when] | schedule | list | help"
      should_escape: true
oauth_config:
  scopes:
    bot: [commands, chat:write, chat:write.public, users:read, users:read.email, im:write]
settings:
  event_subscriptions:
    request_url: https://example.com/slack/events
    bot_events: [app_home_opened]
  interactivity:
    is_enabled: true
    request_url: https://example.com/slack/events
  org_deploy_enabled: false
  socket_mode_enabled: false
  token_rotation_enabled: false
`);

test('a minimal manifest is valid', () => {
  expect(validateManifest(minimal)).toEqual({ valid: true, errors: [] });
  expect(() => assertValidManifest(minimal)).not.toThrow();
});

test('a realistic manifest (parsed from YAML) is valid', () => {
  expect(validateManifest(full).errors).toEqual([]);
});

test('an invalid manifest reports each problem with its path', () => {
  const result = validateManifest({
    display_information: { name: '' },
    features: { slash_commands: [{ command: 'meet', description: 'x' }] },
    extra: true,
  });
  expect(result.valid).toBe(false);
  expect(result.errors).toEqual(
    expect.arrayContaining([
      { path: '', message: 'must NOT have additional property "extra"' },
      { path: '/display_information/name', message: 'must NOT have fewer than 1 characters' },
      { path: '/features/slash_commands/0/command', message: expect.stringContaining('must match pattern') },
    ]),
  );
  expect(() => assertValidManifest({})).toThrow(ManifestValidationError);
  expect(() => assertValidManifest({})).toThrow(/display_information/);
});

test("the schema's non-standard `regex` keyword is enforced (background_color)", () => {
  const badColour = { display_information: { name: 'MegaMeeting', background_color: 'blue!' } };
  expect(validateManifest(badColour).errors).toEqual([
    { path: '/display_information/background_color', message: expect.stringContaining('must match pattern') },
  ]);
  expect(validateManifest(badColour, { enforceRegexKeyword: false }).valid).toBe(true);
});
