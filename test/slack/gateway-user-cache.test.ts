/** The gateway's users.info cache is bounded: the real WebClient against the Slack stand-in counts the calls. */
import { createLogger } from '../../src/logger.js';
import { createSlackWebClient, SlackGateway, USER_CACHE_MAX } from '../../src/slack/gateway.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

let slack: SlackStub;
beforeAll(async () => {
  slack = await SlackStub.start();
  for (const id of ['U0CACHE001', 'U0CACHE002', 'U0CACHE003', 'U0CACHE004']) {
    slack.addUser({ id, real_name: id, tz: 'Europe/Paris' });
  }
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.clearCalls());

function gateway(max?: number): SlackGateway {
  const client = createSlackWebClient(TEST_WORKSPACE.botToken, { apiUrl: slack.url });
  const logger = createLogger({ level: 'silent', secrets: [] });
  return new SlackGateway(client, logger, max === undefined ? {} : { userCacheMax: max });
}

const infoCalls = () => slack.calls('users.info').map((c) => c.args.user);

test('keeps recently used profiles and evicts the least recently used one at its bound', async () => {
  const g = gateway(3);
  await g.userInfo('U0CACHE001');
  await g.userInfo('U0CACHE002');
  await g.userInfo('U0CACHE003');
  await g.userInfo('U0CACHE001'); // a hit: no call, and 001 is now the most recent
  expect(infoCalls()).toEqual(['U0CACHE001', 'U0CACHE002', 'U0CACHE003']);
  await g.userInfo('U0CACHE004'); // evicts 002
  slack.clearCalls();
  await g.userInfo('U0CACHE001');
  await g.userInfo('U0CACHE003');
  await g.userInfo('U0CACHE004');
  expect(infoCalls()).toEqual([]);
  await g.userInfo('U0CACHE002');
  expect(infoCalls()).toEqual(['U0CACHE002']);
});

test('the default bound is finite', () => {
  expect(USER_CACHE_MAX).toBeGreaterThan(100);
  expect(USER_CACHE_MAX).toBeLessThanOrEqual(10_000);
});
