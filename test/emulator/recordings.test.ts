/** Recordings: the remux state machine (injected clock, no sleeps), downloads, playback, deletion, scale. */
import { afterEach, describe, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { clock, dataOf, errorCode, gql, http, lit } from './helpers.js';

let emu: Emulator;
afterEach(async () => {
  await emu?.close();
});

const LIST = '{ recordings { accId alId recId meetId recPackage recPlay recCreateDateTime remuxStatus } }';

function remuxQuery(r: { alId: string; meetId: string; recId: string }, accountId = emu.accountId): string {
  return `{ startRemux(input: { accountId: ${lit(accountId)} loginId: ${lit(r.alId)} meetId: ${lit(
    r.meetId,
  )} recordingId: ${lit(r.recId)} }) { status message result } }`;
}

async function only() {
  const [rec] = dataOf(await gql(emu, LIST), 'recordings');
  return rec;
}

describe('remux state machine', () => {
  test('waiting → processing on startRemux → completed after remuxDelayMs, with recPlay', async () => {
    const c = clock('2021-02-08T10:50:20Z');
    emu = await startEmulator({ now: c.now, remuxDelayMs: 2000 });
    const meeting = emu.state.addMeeting({ name: 'Tech Meeting' });
    const added = emu.state.addRecording({ meetId: meeting.meetId });
    const session = Date.parse('2021-02-08T10:50:20Z');
    expect(added).toEqual({
      accId: emu.accountId,
      alId: emu.adminLoginId,
      recId: expect.stringMatching(/^[0-9a-f]{24}$/),
      meetId: meeting.meetId,
      recPackage: `${emu.accountId}/${meeting.meetId}/${session}/P2P-Recording-${meeting.meetId}-Tech-Meeting-02-08-2021-10-50-20.mp4`,
      recPlay: null,
      recCreateDateTime: 'Feb 8, 2021 10:50:20',
      remuxStatus: 'waiting',
    });
    expect(await only()).toEqual(added);
    const download = `/getweb?recordingkey=/${added.recPackage}`;
    const play = `/videoplayer/?key=${meeting.meetId}&session=${session}`;
    expect((await http(emu, download)).status).toBe(404);

    // Reading does not start processing.
    c.advance(60_000);
    expect((await only()).remuxStatus).toBe('waiting');

    expect(dataOf(await gql(emu, remuxQuery(added)), 'startRemux')).toEqual({
      status: 'Completed',
      message: 'Remux request made successfully.',
      result: null,
    });
    expect(await only()).toMatchObject({ remuxStatus: 'processing', recPlay: null });
    c.advance(1999);
    expect(await only()).toMatchObject({ remuxStatus: 'processing', recPlay: null });
    expect((await http(emu, download)).status).toBe(404);
    expect((await http(emu, play)).status).toBe(404);
    c.advance(1);
    expect(await only()).toEqual({
      ...added,
      remuxStatus: 'completed',
      recPlay: `videoplayer/?key=${meeting.meetId}&session=${session}`,
    });

    const file = await fetch(`${emu.url}${download}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const page = await http(emu, `/${(await only()).recPlay}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Tech Meeting');

    // startRemux again is harmless.
    expect(dataOf(await gql(emu, remuxQuery(added)), 'startRemux').status).toBe('Completed');
    expect((await only()).remuxStatus).toBe('completed');
  });

  test('remuxDelayMs 0 completes on the next read', async () => {
    emu = await startEmulator({ remuxDelayMs: 0 });
    const rec = emu.state.addRecording({ meetId: emu.state.addMeeting({ name: 'm' }).meetId });
    await gql(emu, remuxQuery(rec));
    expect(await only()).toMatchObject({
      remuxStatus: 'completed',
      recPlay: expect.stringMatching(/^videoplayer\/\?key=/),
    });
  });

  test('failed can be injected, and startRemux restarts processing', async () => {
    const c = clock('2024-01-01T00:00:00Z');
    emu = await startEmulator({ now: c.now, remuxDelayMs: 10 });
    const rec = emu.state.addRecording({ meetId: emu.state.addMeeting({ name: 'm' }).meetId });
    await gql(emu, remuxQuery(rec));
    expect(emu.state.failRecording(rec.recId)).toMatchObject({ remuxStatus: 'failed', recPlay: null });
    c.advance(1000);
    expect((await only()).remuxStatus).toBe('failed');
    expect((await http(emu, `/getweb?recordingkey=/${rec.recPackage}`)).status).toBe(404);
    await gql(emu, remuxQuery(rec));
    expect((await only()).remuxStatus).toBe('processing');
    c.advance(10);
    expect((await only()).remuxStatus).toBe('completed');
  });

  test('recordings can be added processing or completed', async () => {
    const c = clock('2024-01-01T00:00:00Z');
    emu = await startEmulator({ now: c.now, remuxDelayMs: 5000 });
    const meetId = emu.state.addMeeting({ name: 'm' }).meetId;
    expect(emu.state.addRecording({ meetId, remuxStatus: 'completed' }).recPlay).toMatch(/^videoplayer\//);
    const p = emu.state.addRecording({ meetId, remuxStatus: 'processing' });
    c.advance(5000);
    const [node] = emu.state.snapshot().recordings.filter((r) => r.recId === p.recId);
    expect(node?.remuxStatus).toBe('completed');
  });

  test('startRemux input must match the recording', async () => {
    emu = await startEmulator({ remuxDelayMs: 0 });
    const rec = emu.state.addRecording({ meetId: emu.state.addMeeting({ name: 'm' }).meetId });
    expect(errorCode(await gql(emu, remuxQuery(rec, '000000000000000000000000')))).toBe('NOT_FOUND');
    expect(errorCode(await gql(emu, remuxQuery({ ...rec, recId: 'nope' })))).toBe('NOT_FOUND');
    expect(errorCode(await gql(emu, remuxQuery({ ...rec, meetId: '1111111' })))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(emu, remuxQuery({ ...rec, alId: 'someone-else' })))).toBe('BAD_USER_INPUT');
    const missing = await gql(emu, `{ startRemux(input: { recordingId: ${lit(rec.recId)} }) { status } }`);
    expect(missing.status).toBe(400);
    expect((await only()).remuxStatus).toBe('waiting');
  });

  test('startRemux is a query, not a mutation (as documented)', async () => {
    emu = await startEmulator();
    const rec = emu.state.addRecording({ meetId: emu.state.addMeeting({ name: 'm' }).meetId });
    const res = await gql(emu, `mutation ${remuxQuery(rec)}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('files and deletion', () => {
  test('recPackage titles are made URL- and path-safe; sessions stay unique per meeting', async () => {
    const c = clock('2021-01-25T12:09:01Z');
    emu = await startEmulator({ now: c.now, remuxDelayMs: 0 });
    const meeting = emu.state.addMeeting({ name: 'Q3 / review? & "plans" ✨' });
    const a = emu.state.addRecording({ meetId: meeting.meetId });
    const b = emu.state.addRecording({ meetId: meeting.meetId, title: '../../etc/passwd' });
    expect(a.recPackage).toBe(
      `${emu.accountId}/${meeting.meetId}/1611576541000/P2P-Recording-${meeting.meetId}-Q3-review-plans-01-25-2021-12-09-01.mp4`,
    );
    expect(b.recPackage).toMatch(
      new RegExp(`/${meeting.meetId}/1611576541001/P2P-Recording-${meeting.meetId}-etc-passwd-`),
    );
    emu.state.completeRecording(a.recId);
    emu.state.completeRecording(b.recId);
    expect((await http(emu, `/getweb?recordingkey=/${encodeURIComponent(a.recPackage)}`)).status).toBe(200);
    expect((await http(emu, `/getweb?recordingkey=${a.recPackage}`)).status).toBe(200);
    expect((await http(emu, '/getweb?recordingkey=/nope.mp4')).status).toBe(404);
    expect((await http(emu, '/getweb')).status).toBe(404);
    expect((await http(emu, `/videoplayer/?key=${meeting.meetId}&session=1611576541001`)).text).toContain(
      'passwd',
    );
    expect((await http(emu, `/videoplayer/?key=${meeting.meetId}&session=1`)).status).toBe(404);
    const head = await fetch(`${emu.url}/getweb?recordingkey=/${a.recPackage}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  test('deleteRecording', async () => {
    emu = await startEmulator({ remuxDelayMs: 0 });
    const rec = emu.state.addRecording({
      meetId: emu.state.addMeeting({ name: 'm' }).meetId,
      remuxStatus: 'completed',
    });
    const del = (recId: string, accId: string) =>
      gql(
        emu,
        `mutation { deleteRecording(recId: ${lit(recId)}, accId: ${lit(accId)}) { message result status } }`,
      );
    expect(errorCode(await del(rec.recId, 'other-account'))).toBe('NOT_FOUND');
    expect(errorCode(await del('nope', emu.accountId))).toBe('NOT_FOUND');
    expect(dataOf(await del(rec.recId, emu.accountId), 'deleteRecording')).toEqual({
      message: 'Recording removed successfully',
      result: '1',
      status: 'completed',
    });
    expect(dataOf(await gql(emu, LIST), 'recordings')).toEqual([]);
    expect((await http(emu, `/getweb?recordingkey=/${rec.recPackage}`)).status).toBe(404);
    expect(errorCode(await del(rec.recId, emu.accountId))).toBe('NOT_FOUND');
  });

  test('recordings of an ended meeting stay listed', async () => {
    emu = await startEmulator();
    const meetId = emu.state.addMeeting({ name: 'm' }).meetId;
    await gql(emu, `mutation { endMeeting(meetId: ${lit(meetId)}) { status } }`);
    emu.state.addRecording({ meetId });
    expect(dataOf(await gql(emu, LIST), 'recordings')).toHaveLength(1);
  });
});

describe('scale', () => {
  test('10,000 recordings are listed quickly and correctly', async () => {
    emu = await startEmulator({ remuxDelayMs: 0 });
    const host = emu.state.addLogin({ email: 'h@example.com' });
    const m1 = emu.state.addMeeting({ name: 'Big', loginId: host.loginId });
    const m2 = emu.state.addMeeting({ name: 'Other' });
    emu.state.addRecordings(9_000, { meetId: m1.meetId });
    emu.state.addRecordings(1_000, { meetId: m2.meetId, remuxStatus: 'processing' });
    const started = performance.now();
    const res = await gql(emu, LIST);
    const elapsed = performance.now() - started;
    const list = dataOf(res, 'recordings');
    expect(list).toHaveLength(10_000);
    expect(new Set(list.map((r: { recPackage: string }) => r.recPackage)).size).toBe(10_000);
    expect(list.filter((r: { remuxStatus: string }) => r.remuxStatus === 'completed')).toHaveLength(1_000);
    const hostList = dataOf(
      await gql(emu, '{ recordings { recId } }', { token: host.apiToken }),
      'recordings',
    );
    expect(hostList).toHaveLength(9_000);
    // Generous bound: this is a smoke check against accidental quadratic work, not a benchmark.
    expect(elapsed).toBeLessThan(5_000);
  });
});
