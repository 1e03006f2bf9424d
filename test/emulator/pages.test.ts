/** The join pages (/meeting/), the index page and unknown paths. */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { http } from './helpers.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await emu.close();
});

test('/meeting/?id= names the meeting, the name parameter and go=1', async () => {
  const m = emu.state.addMeeting({ name: 'Standup <script>alert(1)</script>' });
  const res = await http(emu, `/meeting/?id=${m.meetId}&name=${encodeURIComponent('Jo "J" <b>')}&go=1`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.text).toContain(m.meetId);
  expect(res.text).toContain('Standup &#60;script&#62;alert(1)&#60;/script&#62;');
  expect(res.text).not.toContain('<script>');
  expect(res.text).toContain('Joining as Jo &#34;J&#34; &#60;b&#62;');
  expect(res.text).toContain(`data-meet-id="${m.meetId}"`);
  expect(res.text).toContain('data-go="true"');
  const plain = await http(emu, `/meeting/?id=${m.meetId}`);
  expect(plain.text).toContain('Enter your name');
  expect(plain.text).toContain('data-go="false"');
});

test('go=1 needs a name', async () => {
  const m = emu.state.addMeeting({ name: 'x' });
  expect((await http(emu, `/meeting/?id=${m.meetId}&go=1`)).status).toBe(400);
});

test('unknown and ended meetings', async () => {
  expect((await http(emu, '/meeting/?id=1234567')).status).toBe(404);
  const m = emu.state.addMeeting({ name: 'x' });
  emu.state.endMeeting(m.meetId);
  const ended = await http(emu, `/meeting/?id=${m.meetId}`);
  expect(ended.status).toBe(410);
  expect(ended.text).toMatch(/ended/);
});

test('secure meetings and webinars with registration need the personal ?key= link', async () => {
  const secure = emu.state.addMeeting({ name: 'Clinic', requireVerification: true });
  const webinar = emu.state.addMeeting({ name: 'Webinar', enableRegistration: true });
  for (const m of [secure, webinar]) {
    const res = await http(emu, `/meeting/?id=${m.meetId}&name=Jo`);
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/personal link/i);
  }
  const guest = emu.state.addGuest({
    meetId: secure.meetId,
    guestName: 'Pat',
    permissions: ['webcam', 'moderator'],
  });
  const res = await http(emu, `/meeting/?key=${guest.key}&go=1`);
  expect(res.status).toBe(200);
  expect(res.text).toContain('Verified guest: Pat');
  expect(res.text).toContain('Clinic');
  expect(res.text).toContain('webcam, moderator');
  expect(res.text).toContain('data-guest="Pat"');
});

test('unknown, removed and ended guest keys', async () => {
  expect((await http(emu, '/meeting/?key=abcdef123456')).status).toBe(404);
  const m = emu.state.addMeeting({ name: 'Clinic', requireVerification: true });
  const g = emu.state.addGuest({ meetId: m.meetId, guestName: 'Pat' });
  const g2 = emu.state.addGuest({ meetId: m.meetId, guestName: 'Sam' });
  emu.state.guests.delete(g.key);
  expect((await http(emu, `/meeting/?key=${g.key}`)).status).toBe(404);
  emu.state.endMeeting(m.meetId);
  expect((await http(emu, `/meeting/?key=${g2.key}`)).status).toBe(410);
});

test('a link with neither id nor key is a 400 page; /meeting works without the trailing slash', async () => {
  expect((await http(emu, '/meeting/')).status).toBe(400);
  const m = emu.state.addMeeting({ name: 'x' });
  expect((await http(emu, `/meeting?id=${m.meetId}`)).status).toBe(200);
});

test('index, unknown paths, methods', async () => {
  const index = await http(emu, '/');
  expect(index.status).toBe(200);
  expect(index.text).toContain('MegaMeeting emulator');
  expect((await http(emu, '/playground')).status).toBe(404);
  expect((await http(emu, '/meeting/?id=1', { method: 'POST', body: 'x' })).status).toBe(405);
  const head = await fetch(`${emu.url}/`, { method: 'HEAD' });
  expect(head.status).toBe(200);
});

test('the login link page (one-time)', async () => {
  expect((await http(emu, '/?token=nope&u=x&skipSetting=true')).status).toBe(410);
});
