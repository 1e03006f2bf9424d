/** users.list through the gateway: every page, admin and owner flags read, profiles cached for users.info. */
import { createLogger } from '../../src/logger.js';
import { createSlackWebClient, SlackGateway } from '../../src/slack/gateway.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

let slack: SlackStub;
beforeAll(async () => {
  slack = await SlackStub.start();
  slack.addUser({ id: 'U0LISTADM1', real_name: 'Dana Admin', is_admin: true, email: 'dana@example.com' });
  slack.addUser({ id: 'U0LISTOWN1', real_name: 'Olga Owner', is_owner: true });
  slack.addUser({ id: 'U0LISTGON1', real_name: 'Gone', is_admin: true, deleted: true });
});
afterAll(async () => {
  await slack.close();
});

function gateway(): SlackGateway {
  const client = createSlackWebClient(TEST_WORKSPACE.botToken, { apiUrl: slack.url });
  return new SlackGateway(client, createLogger({ level: 'silent', secrets: [] }));
}

test('reads the members with their flags, following next_cursor', async () => {
  let page = 0;
  slack.setHandler('users.list', (args) => {
    page++;
    return args.cursor
      ? {
          ok: true,
          members: [{ id: 'U0LISTOWN1', name: 'olga', real_name: 'Olga Owner', is_owner: true }],
          response_metadata: { next_cursor: '' },
        }
      : {
          ok: true,
          members: [
            { id: 'U0LISTADM1', name: 'dana', is_admin: true, profile: { email: 'Dana@Example.com' } },
            { id: 'U0LISTGON1', name: 'gone', is_admin: true, deleted: true },
          ],
          response_metadata: { next_cursor: 'page2' },
        };
  });
  const g = gateway();
  const users = await g.listUsers();
  expect(page).toBe(2);
  expect(users.map((u) => [u.id, u.isAdmin, u.isOwner, u.deleted])).toEqual([
    ['U0LISTADM1', true, false, false],
    ['U0LISTGON1', true, false, true],
    ['U0LISTOWN1', false, true, false],
  ]);
  expect(users[0]?.email).toBe('dana@example.com');
  slack.clearCalls();
  await g.userInfo('U0LISTADM1');
  expect(slack.calls('users.info')).toHaveLength(0);
});
