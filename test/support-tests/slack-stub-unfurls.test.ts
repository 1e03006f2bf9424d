/** The stand-in's link unfurling (sandbox/slack/unfurls.ts) through a real WebClient: the event, the errors, state. */
import { WebClient } from '@slack/web-api';
import { RecordingLogger } from '../support/slack-logger.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const URL_A = 'https://acme.megameeting.com/meeting/?id=4711';
const CARD = { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Design review*' } }] };
let stub: SlackStub;
let client: WebClient;

beforeAll(async () => {
  stub = await SlackStub.start();
  client = new WebClient(W.botToken, {
    slackApiUrl: stub.url,
    retryConfig: { retries: 0 },
    logger: new RecordingLogger(),
  });
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => stub.reset());

/** The Slack error code of a call, or 'ok'. */
function outcome(args: Record<string, unknown>): Promise<string> {
  return client.apiCall('chat.unfurl', args).then(
    () => 'ok',
    (e: { data?: { error?: string } }) => e.data?.error ?? 'no code',
  );
}

test('share() posts the message and returns a link_shared event; chat.unfurl attaches and replaces previews', async () => {
  const event = stub.unfurls.share({ channel: 'C0LINKS', user: W.userId, urls: [URL_A] });
  expect(event).toMatchObject({
    type: 'link_shared',
    channel: 'C0LINKS',
    user: W.userId,
    source: 'conversations_history',
    links: [{ domain: 'acme.megameeting.com', url: URL_A }],
  });
  expect(stub.message('C0LINKS', event.message_ts)?.text).toContain(URL_A);
  expect(await outcome({ channel: 'C0LINKS', ts: event.message_ts, unfurls: { [URL_A]: CARD } })).toBe('ok');
  expect(stub.unfurls.applied('C0LINKS', event.message_ts)).toEqual({ [URL_A]: CARD });
  const again = { blocks: [{ type: 'divider' }] };
  expect(await outcome({ channel: 'C0LINKS', ts: event.message_ts, unfurls: { [URL_A]: again } })).toBe('ok');
  expect(stub.unfurls.applied('C0LINKS', event.message_ts)).toEqual({ [URL_A]: again });
});

test("chat.unfurl answers Slack's documented errors", async () => {
  const event = stub.unfurls.share({ channel: 'C0LINKS', user: W.userId, urls: [URL_A] });
  const ts = event.message_ts;
  expect(await outcome({ unfurls: { [URL_A]: CARD } })).toBe('missing_channel');
  expect(await outcome({ channel: 'C0LINKS', unfurls: { [URL_A]: CARD } })).toBe('missing_ts');
  expect(await outcome({ channel: 'C0LINKS', ts: '1.000001', unfurls: { [URL_A]: CARD } })).toBe(
    'cannot_find_message',
  );
  expect(await outcome({ channel: 'C0LINKS', ts })).toBe('missing_unfurls');
  expect(await outcome({ channel: 'C0LINKS', ts, unfurls: { [URL_A]: 'text' } })).toBe(
    'invalid_unfurls_format',
  );
  expect(await outcome({ channel: 'C0LINKS', ts, unfurls: { 'https://elsewhere.example/': CARD } })).toBe(
    'cannot_unfurl_message',
  );
  expect(
    await outcome({ channel: 'C0LINKS', ts, unfurls: { [URL_A]: { blocks: [{ type: 'nope' }] } } }),
  ).toBe('cannot_parse_attachment');
  expect(await outcome({ unfurl_id: 'unknown', source: 'composer', unfurls: { [URL_A]: CARD } })).toBe(
    'cannot_unfurl_url',
  );
  stub.failNext('chat.unfurl', 'cannot_find_service');
  expect(await outcome({ channel: 'C0LINKS', ts, unfurls: { [URL_A]: CARD } })).toBe('cannot_find_service');
  expect(stub.unfurls.applied('C0LINKS', ts)).toBeUndefined();
});

test('a composer share posts nothing and unfurls by unfurl_id and source', async () => {
  const event = stub.unfurls.share({ channel: 'C0LINKS', user: W.userId, urls: [URL_A], source: 'composer' });
  expect(event.channel).toBe('COMPOSER');
  expect(stub.messagesIn('C0LINKS')).toEqual([]);
  expect(await outcome({ unfurl_id: event.unfurl_id, source: 'composer', unfurls: { [URL_A]: CARD } })).toBe(
    'ok',
  );
  expect(stub.unfurls.appliedTo(event.unfurl_id)).toEqual({ [URL_A]: CARD });
});
