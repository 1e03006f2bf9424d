/**
 * Unfurled meeting links, the service without Bolt (./world.ts): what chat.unfurl gets for each shared link (a
 * meeting made here from the store, one made elsewhere from MegaMeeting's `meetings` answer, none for a meeting
 * MegaMeeting does not list or another workspace's details), each card's state over time, personal (`?key=`)
 * links never unfurled nor logged and their poster told privately, and what happens when MegaMeeting or Slack
 * fails. Fast enough for mutation testing (docs/mutation.md, `surfaces-unit` scope); test/unfurls/ drives the
 * same over signed HTTP.
 */
import { joinUrlForGuestKey, joinUrlForMeeting } from '../../src/megameeting/urls.js';
import { type SharedLinks, UnfurlService, unfurlState } from '../../src/services/unfurls.js';
import type { MeetingKind, MeetingRecord, MeetingStatus } from '../../src/store/types.js';
import { buildMeetingUnfurl, type MeetingUnfurlData, PERSONAL_LINK_NOTE } from '../../src/views/unfurl.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const CHANNEL = 'C0LINKS001';
const KEY = 'k3ysecret9zq';
const MIN = 60_000;
const T0 = Math.floor(Date.now() / 1000) * 1000;
let now = T0;
const clock = { now: () => new Date(now) };
const at = (minutes: number) => new Date(T0 + minutes * MIN);

let stub: SlackStub;
let w: ServiceWorld;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  now = T0;
  stub.reset();
  w = await startServiceWorld(stub, { clock });
});
afterEach(async () => {
  await w.close();
});

/** A meeting MegaMeeting lists (the account's), and, unless `inStore: false`, made from Slack (in the store). */
async function meeting(
  opts: {
    title?: string;
    kind?: MeetingKind;
    status?: MeetingStatus;
    start?: Date;
    end?: Date | null;
    teamId?: string;
    inStore?: boolean;
  } = {},
): Promise<{ meetId: string; url: string }> {
  const title = opts.title ?? 'Design review';
  const { meetId } = w.emu.state.addMeeting({ name: title, loginId: w.hostLoginId });
  if (opts.inStore !== false) {
    const start = opts.start ?? at(-10);
    await w.db.store.insertMeeting({
      teamId: opts.teamId ?? T,
      meetId,
      channelId: W.channelId,
      messageTs: null,
      cardDelivery: 'none',
      hostSlackUserId: HOST,
      hostLoginId: w.hostLoginId,
      title,
      kind: opts.kind ?? 'instant',
      startAt: start,
      endAt: opts.end === undefined ? new Date(start.getTime() + 60 * MIN) : opts.end,
      timeZone: 'UTC',
      status: opts.status ?? 'live',
      reminders: [],
      options: {},
    });
  }
  return { meetId, url: joinUrlForMeeting(w.emu.url, meetId) };
}

/** `urls` shared in the channel (or typed in the composer): the event's fields, as the app's handler passes them. */
function shared(urls: string[], source?: 'composer'): SharedLinks {
  const event = stub.unfurls.share({ channel: CHANNEL, user: HOST, urls, ...(source ? { source } : {}) });
  return {
    teamId: T,
    channel: event.channel,
    user: event.user,
    messageTs: event.message_ts,
    source: event.source,
    unfurlId: event.unfurl_id,
    urls: event.links.map((l) => l.url),
  };
}

function applied(links: SharedLinks) {
  return stub.unfurls.applied(links.channel, links.messageTs) ?? {};
}
const logged = (msg: string) => w.logs().filter((l) => l.msg === msg);
const text = (v: unknown) => JSON.stringify(v);

describe('what a shared link unfurls into', () => {
  test('a meeting made here: title, host, start, Live and Join, from the store; other links untouched', async () => {
    const m = await meeting({ start: at(-10) });
    const links = shared([m.url, 'https://example.com/not-ours', m.url]);
    await w.services.unfurls.linksShared(links);
    expect(stub.calls('chat.unfurl').map((c) => [c.args.channel, c.args.ts])).toEqual([
      [CHANNEL, links.messageTs],
    ]);
    const preview = applied(links);
    expect(Object.keys(preview)).toEqual([m.url]);
    const expected: MeetingUnfurlData = {
      meetId: m.meetId,
      title: 'Design review',
      hostSlackUserId: HOST,
      start: at(-10),
      state: 'live',
      joinUrl: m.url,
      personalLinksOnly: false,
    };
    expect(preview[m.url]?.blocks).toEqual(buildMeetingUnfurl(expected));
    expect(text(preview[m.url])).toContain(
      `*Design review*\\n:red_circle: Live  ·  Host <@${HOST}>  ·  Started <!date^`,
    );
    expect(
      logged('unfurled shared meeting links').map((l) => [l.component, l.teamId, l.channel, l.meetIds]),
    ).toEqual([['unfurls', T, CHANNEL, [m.meetId]]]);
  });

  test('upcoming before its start; ended once ended, without Join', async () => {
    const up = await meeting({ title: 'Planning', status: 'scheduled', start: at(60) });
    const gone = await meeting({ title: 'Retro', status: 'ended', start: at(-120), end: at(-60) });
    const links = shared([up.url, gone.url]);
    await w.services.unfurls.linksShared(links);
    const preview = applied(links);
    expect(preview[up.url]?.blocks).toEqual(
      buildMeetingUnfurl({
        meetId: up.meetId,
        title: 'Planning',
        hostSlackUserId: HOST,
        start: at(60),
        state: 'upcoming',
        joinUrl: up.url,
        personalLinksOnly: false,
      }),
    );
    expect(preview[gone.url]?.blocks).toEqual(
      buildMeetingUnfurl({
        meetId: gone.meetId,
        title: 'Retro',
        hostSlackUserId: HOST,
        start: at(-120),
        state: 'ended',
        joinUrl: null,
        personalLinksOnly: false,
      }),
    );
    expect(text(preview[gone.url])).toContain('This meeting has ended; the link no longer opens it.');
    expect(text(preview[gone.url])).not.toContain('"url"');
  });

  test('a secure meeting or webinar: no Join (only personal links open it), and says so', async () => {
    const secure = await meeting({ title: 'Board', kind: 'secure' });
    const webinar = await meeting({ title: 'Launch', kind: 'webinar' });
    const links = shared([secure.url, webinar.url]);
    await w.services.unfurls.linksShared(links);
    const preview = applied(links);
    for (const m of [secure, webinar]) {
      expect(text(preview[m.url])).toContain(
        ':lock: Guests join with the personal link sent to them privately.',
      );
      expect(text(preview[m.url])).not.toContain('"url"');
    }
    expect(preview[secure.url]?.blocks).toEqual(
      buildMeetingUnfurl({
        meetId: secure.meetId,
        title: 'Board',
        hostSlackUserId: HOST,
        start: at(-10),
        state: 'live',
        joinUrl: null,
        personalLinksOnly: true,
      }),
    );
  });

  test('a meeting made elsewhere: its name from MegaMeeting, Open and Join; nothing else is known', async () => {
    const m = await meeting({ title: 'Made on the web', inStore: false });
    const links = shared([m.url]);
    await w.services.unfurls.linksShared(links);
    expect(applied(links)[m.url]?.blocks).toEqual(
      buildMeetingUnfurl({
        meetId: m.meetId,
        title: 'Made on the web',
        hostSlackUserId: null,
        start: null,
        state: 'open',
        joinUrl: m.url,
      }),
    );
  });

  test("another workspace's meeting shows only what MegaMeeting lists, never that workspace's details", async () => {
    const m = await meeting({
      title: 'Their offsite',
      teamId: 'T0ELSEWHER',
      start: at(30),
      status: 'scheduled',
    });
    const links = shared([m.url]);
    await w.services.unfurls.linksShared(links);
    const preview = text(applied(links)[m.url]);
    expect(preview).toContain(':large_green_circle: Open');
    expect(preview).not.toContain('Host');
    expect(preview).not.toContain('<!date^');
  });

  test('a meeting MegaMeeting does not list is left alone; with none to show, chat.unfurl is not called', async () => {
    const listed = await meeting({ title: 'Listed', inStore: false });
    const unlisted = joinUrlForMeeting(w.emu.url, '9999990');
    const both = shared([listed.url, unlisted]);
    await w.services.unfurls.linksShared(both);
    expect(Object.keys(applied(both))).toEqual([listed.url]);

    stub.clearCalls();
    const lonely = shared([unlisted, joinUrlForMeeting(w.emu.url, '9999991')]);
    await w.services.unfurls.linksShared(lonely);
    expect(stub.calls('chat.unfurl')).toEqual([]);
    expect(
      logged('shared meeting links name no meeting MegaMeeting lists; not unfurled').map((l) => [
        l.teamId,
        l.channel,
        l.meetIds,
        l.links,
      ]),
    ).toEqual([[T, CHANNEL, [], 2]]);
  });

  test('nothing of ours shared: neither MegaMeeting nor Slack is asked', async () => {
    w.emu.state.clearRequests();
    await w.services.unfurls.linksShared(shared(['https://example.com/meeting/?id=1234567']));
    expect(stub.calls('chat.unfurl')).toEqual([]);
    expect(w.emu.state.requests()).toEqual([]);
    expect(w.logs().filter((l) => l.level >= 30)).toEqual([]);
  });

  test('one `meetings` answer for every link the store does not know; none when it knows them all', async () => {
    const known = await meeting({ title: 'Known' });
    const a = await meeting({ title: 'Web A', inStore: false });
    const b = await meeting({ title: 'Web B', inStore: false });
    w.emu.state.clearRequests();
    await w.services.unfurls.linksShared(shared([known.url]));
    expect(w.emu.state.requests()).toEqual([]);
    const links = shared([known.url, a.url, b.url]);
    await w.services.unfurls.linksShared(links);
    expect(w.emu.state.requests()).toHaveLength(1);
    expect(Object.keys(applied(links)).sort()).toEqual([known.url, a.url, b.url].sort());
  });

  test("a meeting MegaMeeting lists without a name is shown as 'Meeting <ID>'", async () => {
    // The emulator refuses empty names; MegaMeeting's schema allows one. Its answer, with the name emptied.
    const m = await meeting({ title: 'Nameless', inStore: false });
    const unfurls = new UnfurlService({
      store: w.db.store,
      megameeting: {
        meetings: async () =>
          (await w.services.megameeting.meetings()).map((x) =>
            x.meetId === m.meetId ? { ...x, name: '' } : x,
          ),
      },
      slack: w.services.slack,
      logger: w.services.logger,
      clock,
      megameetingUrl: w.emu.url,
    });
    const links = shared([m.url]);
    await unfurls.linksShared(links);
    expect(text(applied(links)[m.url])).toContain(`*Meeting ${m.meetId}*`);
  });

  test('in the composer: by unfurl_id and source; without an unfurl_id, by channel and ts', async () => {
    const m = await meeting({ inStore: false });
    const draft = shared([m.url], 'composer');
    await w.services.unfurls.linksShared(draft);
    expect(stub.lastCall('chat.unfurl')?.args).toMatchObject({
      unfurl_id: draft.unfurlId,
      source: 'composer',
    });
    expect(stub.lastCall('chat.unfurl')?.args).not.toHaveProperty('channel');
    expect(text(stub.unfurls.appliedTo(draft.unfurlId ?? ''))).toContain('*Design review*');

    const posted = shared([m.url]);
    await w.services.unfurls.linksShared({ ...posted, unfurlId: undefined });
    await w.services.unfurls.linksShared({ ...posted, source: 'composer', unfurlId: undefined });
    const byMessage = stub.calls('chat.unfurl').slice(1);
    expect(byMessage.map((c) => [c.args.channel, c.args.ts, c.args.unfurl_id])).toEqual([
      [CHANNEL, posted.messageTs, undefined],
      [CHANNEL, posted.messageTs, undefined],
    ]);
    // A posted message's event carries an unfurl_id too: still unfurled by channel and ts.
    stub.clearCalls();
    await w.services.unfurls.linksShared(posted);
    expect(stub.lastCall('chat.unfurl')?.args).toMatchObject({ channel: CHANNEL, ts: posted.messageTs });
    expect(stub.lastCall('chat.unfurl')?.args).not.toHaveProperty('unfurl_id');
  });
});

describe('personal links', () => {
  test('never unfurled nor logged; the poster is told privately, once per message', async () => {
    const m = await meeting();
    const keyUrl = joinUrlForGuestKey(w.emu.url, KEY);
    const withId = `${w.emu.url}/meeting/?id=${m.meetId}&key=${KEY}`;
    const links = shared([m.url, keyUrl, withId]);
    await w.services.unfurls.linksShared(links);
    expect(Object.keys(applied(links))).toEqual([m.url]);
    expect(stub.ephemeralMessages({ channel: CHANNEL, user: HOST }).map((e) => e.text)).toEqual([
      PERSONAL_LINK_NOTE,
    ]);
    expect(
      logged('personal meeting link shared; not unfurled').map((l) => [
        l.teamId,
        l.channel,
        l.user,
        l.personal,
        l.composer,
      ]),
    ).toEqual([[T, CHANNEL, HOST, 2, false]]);
    for (const call of stub.calls()) expect(text(call.args)).not.toContain(KEY);
    expect(text(w.logs())).not.toContain(KEY);
  });

  test('only personal links: no unfurl, no MegaMeeting question, the note', async () => {
    w.emu.state.clearRequests();
    await w.services.unfurls.linksShared(shared([joinUrlForGuestKey(w.emu.url, KEY)]));
    expect(stub.calls('chat.unfurl')).toEqual([]);
    expect(w.emu.state.requests()).toEqual([]);
    expect(stub.ephemeralMessages().map((e) => e.text)).toEqual([PERSONAL_LINK_NOTE]);
  });

  test('typed in the composer: no note yet (it comes once the message is posted), logged as such', async () => {
    await w.services.unfurls.linksShared(shared([joinUrlForGuestKey(w.emu.url, KEY)], 'composer'));
    expect(stub.ephemeralMessages()).toEqual([]);
    expect(stub.calls('chat.postMessage')).toEqual([]);
    expect(logged('personal meeting link shared; not unfurled').map((l) => [l.personal, l.composer])).toEqual(
      [[1, true]],
    );
  });

  test('where the bot may not post, the note comes by DM; when that fails too, it is logged without the link', async () => {
    stub.addChannel({ id: CHANNEL, name: 'links', is_member: false });
    await w.services.unfurls.linksShared(shared([joinUrlForGuestKey(w.emu.url, KEY)]));
    expect(stub.messagesIn(HOST).map((m) => m.text)).toEqual([PERSONAL_LINK_NOTE]);

    stub.failNext('chat.postMessage', 'user_disabled');
    await w.services.unfurls.linksShared(shared([joinUrlForGuestKey(w.emu.url, KEY)]));
    expect(
      logged('could not tell the poster that their meeting link is personal').map((l) => [
        l.teamId,
        l.channel,
        l.user,
        l.code,
      ]),
    ).toEqual([[T, CHANNEL, HOST, 'user_disabled']]);
    expect(text(w.logs())).not.toContain(KEY);
  });
});

describe('failures', () => {
  test('MegaMeeting failing: the meetings it knows from the store still unfurl; logged without the links', async () => {
    const known = await meeting({ title: 'Known' });
    const web = await meeting({ title: 'Web', inStore: false });
    w.emu.state.injectFaults('error500', 10);
    const links = shared([known.url, web.url]);
    await w.services.unfurls.linksShared(links);
    w.emu.state.clearFaults();
    expect(Object.keys(applied(links))).toEqual([known.url]);
    const [line] = logged('could not ask MegaMeeting about shared meeting links');
    expect([line?.teamId, line?.meetIds]).toEqual([T, [web.meetId]]);
    expect(text(w.logs())).not.toContain(web.url);
  });

  test('Slack refusing the unfurl is logged with its code, never thrown', async () => {
    const m = await meeting();
    stub.failNext('chat.unfurl', 'cannot_unfurl_url');
    await w.services.unfurls.linksShared(shared([m.url]));
    expect(
      logged('Slack refused to unfurl the shared meeting links').map((l) => [
        l.teamId,
        l.channel,
        l.code,
        l.meetIds,
      ]),
    ).toEqual([[T, CHANNEL, 'cannot_unfurl_url', [m.meetId]]]);
    expect(logged('unfurled shared meeting links')).toEqual([]);
  });
});

describe("a meeting's state over time (unfurlState)", () => {
  const record = (status: MeetingStatus, end: Date | null) =>
    ({ status, startAt: at(0), endAt: end }) as MeetingRecord;

  test('upcoming until its start, live from it until 2 hours past its planned end, then ended', () => {
    const r = record('scheduled', at(45));
    expect(unfurlState(r, new Date(T0 - 1))).toBe('upcoming');
    expect(unfurlState(r, at(0))).toBe('live');
    expect(unfurlState(r, at(45 + 120))).toBe('live');
    expect(unfurlState(r, new Date(at(45 + 120).getTime() + 1))).toBe('ended');
  });

  test('without a planned end it is taken as an hour long', () => {
    const r = record('live', null);
    expect(unfurlState(r, at(60 + 120))).toBe('live');
    expect(unfurlState(r, new Date(at(60 + 120).getTime() + 1))).toBe('ended');
  });

  test('an ended meeting is ended, even before its start', () => {
    expect(unfurlState(record('ended', at(45)), at(-10))).toBe('ended');
  });
});
