/** The recordings lookups on their own: one meeting read per pass, the host by meeting else by login link. */
import type { Recording } from '../../src/megameeting/types.js';
import { messageData, newPassCache, resolveHost } from '../../src/services/recordings/lookup.js';
import type { MeetingRecord, UserLink } from '../../src/store/types.js';

const meeting = { teamId: 'T1', hostSlackUserId: 'U0HOST', title: 'Board review' } as MeetingRecord;
const rec = {
  recId: 'r1',
  meetId: '1234567',
  alId: 'login-1',
  recPackage: 'pkg/1234567_1612802816164.mp4',
  recPlay: 'play/1',
  recCreateDateTime: new Date('2031-02-08T10:50:20Z'),
  recCreateDateTimeRaw: 'Feb 8, 2031 10:50:20',
} as unknown as Recording;

function deps(found: MeetingRecord | null, link: UserLink | null = null) {
  const reads: string[] = [];
  return {
    reads,
    deps: {
      store: {
        findMeetingByMeetId: async (meetId: string) => {
          reads.push(`meeting:${meetId}`);
          return found;
        },
      },
      identity: {
        slackUserForLogin: async (_team: string | null, loginId: string) => {
          reads.push(`link:${loginId}`);
          return link;
        },
      },
      megameetingUrl: 'https://acme.megameeting.com',
    },
  };
}

test('the host and the message share one meeting read per pass', async () => {
  const { reads, deps: d } = deps(meeting);
  const cache = newPassCache();
  expect(await resolveHost(d, rec, cache)).toEqual({ teamId: 'T1', slackUserId: 'U0HOST' });
  expect((await messageData(d, rec, cache)).title).toBe('Board review');
  expect(reads).toEqual(['meeting:1234567']);
});

test('a meeting made outside the app: the Slack user linked to the login, read once per pass', async () => {
  const { reads, deps: d } = deps(null, { teamId: 'T2', slackUserId: 'U0LINKED' } as UserLink);
  const cache = newPassCache();
  expect(await resolveHost(d, rec, cache)).toEqual({ teamId: 'T2', slackUserId: 'U0LINKED' });
  expect(await resolveHost(d, rec, cache)).toEqual({ teamId: 'T2', slackUserId: 'U0LINKED' });
  expect(reads).toEqual(['meeting:1234567', 'link:login-1']);
});

test('nobody mapped: no host; the title falls back to the file name or the meeting ID', async () => {
  const { deps: d } = deps(null);
  expect(await resolveHost(d, rec)).toBeNull();
  const data = await messageData(d, { ...rec, recPackage: '' } as Recording);
  expect(data.title).toBe('Meeting 1234567');
});
