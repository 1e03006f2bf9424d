import { describe, expect, it } from '@jest/globals';
import { ACTIONS } from '../../src/views/ids.js';
import {
  buildRecordingDeletedMessage,
  buildRecordingFailedMessage,
  buildRecordingList,
  buildRecordingReadyMessage,
  buildRecordingRetryingMessage,
  type RecordingListItem,
  type RecordingMessageData,
  titleFromPackage,
} from '../../src/views/recordings.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';

const data: RecordingMessageData = {
  recId: '59216bccfe32133c86597a6b',
  meetId: '8626345',
  title: 'Tech <Meeting> & more',
  recordedAt: new Date('2021-02-08T10:50:20Z'),
  recordedAtRaw: 'Feb 8, 2021 10:50:20',
  downloadUrl:
    'https://myaccount.megameeting.com/getweb?recordingkey=/61216bddfe32733c86597a5c/8626345/1612802816164/P2P-Recording-8626345-Tech-Meeting-02-08-2021-10-50-20.mp4',
  playUrl: 'https://myaccount.megameeting.com/videoplayer/?key=8626345&session=1612802816164',
};

describe('recording views', () => {
  it('ready DM: escaped title, <!date> token, Download and Play URL buttons', () => {
    const m = buildRecordingReadyMessage(data);
    assertValidMessageBlocks(m.blocks);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('Tech &lt;Meeting&gt; &amp; more');
    expect(json).toContain('<!date^1612781420^{date_short_pretty} at {time}|');
    const buttons = (m.blocks[1] as { elements: { action_id: string; url: string }[] }).elements;
    expect(buttons.map((b) => [b.action_id, b.url])).toEqual([
      [ACTIONS.download, data.downloadUrl],
      [ACTIONS.play, data.playUrl],
      [ACTIONS.openMegaMeeting, undefined],
      [ACTIONS.shareRecording, undefined],
      [ACTIONS.deleteRecording, undefined],
    ]);
    // Delete asks first, naming the recording.
    const del = buttons.at(-1) as unknown as { style: string; confirm: { text: { text: string } } };
    expect(del.style).toBe('danger');
    expect(del.confirm.text.text).toContain('"Tech <Meeting> & more" is deleted from MegaMeeting for good');
    expect(del.confirm.text.text).toContain('cannot be undone');
    expect(m.text).toContain(data.downloadUrl);
  });

  it('ready DM without a play URL or a parsable date', () => {
    const m = buildRecordingReadyMessage({ ...data, playUrl: null, recordedAt: null });
    assertValidMessageBlocks(m.blocks);
    expect(JSON.stringify(m.blocks)).toContain('Feb 8, 2021 10:50:20');
    expect(JSON.stringify(m.blocks)).not.toContain(ACTIONS.play);
    // Nothing to play, nothing to share; Delete stays.
    expect(JSON.stringify(m.blocks)).not.toContain(ACTIONS.shareRecording);
    expect(JSON.stringify(m.blocks)).toContain(ACTIONS.deleteRecording);
  });

  it('a 150-character title keeps the Delete confirmation within 300 characters', () => {
    const m = buildRecordingReadyMessage({ ...data, title: 'x'.repeat(150) });
    assertValidMessageBlocks(m.blocks);
    const buttons = (m.blocks[1] as { elements: { confirm?: { text: { text: string } } }[] }).elements;
    const text = buttons.at(-1)?.confirm?.text.text ?? '';
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).toContain('cannot be undone');
  });

  it('deleted DM: who deleted it and when, or that MegaMeeting no longer has it; no buttons', () => {
    const at = new Date('2026-03-02T15:00:00Z');
    const m = buildRecordingDeletedMessage(data, { deletedBy: 'U0ADMIN', deletedAt: at, alreadyGone: false });
    assertValidMessageBlocks(m.blocks);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('Tech &lt;Meeting&gt; &amp; more');
    expect(json).toContain('<@U0ADMIN> deleted it <!date^1772463600^');
    expect(json).toContain('no longer work');
    expect(json).not.toContain('button');
    const gone = buildRecordingDeletedMessage(
      { ...data, recordedAt: null, recordedAtRaw: null },
      { deletedBy: 'U0ADMIN', deletedAt: at, alreadyGone: true },
    );
    assertValidMessageBlocks(gone.blocks);
    expect(JSON.stringify(gone.blocks)).toContain('MegaMeeting no longer has it');
    expect(JSON.stringify(gone.blocks)).not.toContain('unknown date');
  });

  it('failed DM has Try again; retrying message has no buttons', () => {
    const f = buildRecordingFailedMessage(data);
    assertValidMessageBlocks(f.blocks);
    expect(JSON.stringify(f.blocks)).toContain(`"action_id":"${ACTIONS.deleteRecording}"`);
    expect(JSON.stringify(f.blocks)).toContain(`"action_id":"${ACTIONS.retryRemux}"`);
    expect(JSON.stringify(f.blocks)).toContain('Try again');
    const r = buildRecordingRetryingMessage(data);
    assertValidMessageBlocks(r.blocks);
    expect(JSON.stringify(r.blocks)).not.toContain('button');
  });

  it('list: unique action IDs per recording, states, at most 20 shown, valid Block Kit', () => {
    const items: RecordingListItem[] = Array.from({ length: 25 }, (_, i) => ({
      ...data,
      recId: `rec${i}`,
      status: (['ready', 'processing', 'waiting', 'failed', 'unknown'] as const)[i % 5] ?? 'ready',
      canRetry: true,
    }));
    const m = buildRecordingList(items);
    assertValidMessageBlocks(m.blocks);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain(`${ACTIONS.download}:rec0`);
    expect(json).toContain(`${ACTIONS.retryRemux}:rec3`);
    // Share only where there is something to play; Delete on every row.
    expect(json).toContain(`${ACTIONS.shareRecording}:rec0`);
    expect(json).not.toContain(`${ACTIONS.shareRecording}:rec1"`);
    for (const i of [0, 1, 2, 3, 4]) expect(json).toContain(`${ACTIONS.deleteRecording}:rec${i}"`);
    expect(json).toContain('older recording');
    expect(json).not.toContain('rec24');
    expect(buildRecordingList([]).text).toContain('no recordings');
  });

  it('titleFromPackage reads the file name', () => {
    expect(
      titleFromPackage(
        '61216bddfe32733c86597a5c/8626345/1612802816164/P2P-Recording-8626345-Tech-Meeting-02-08-2021-10-50-20.mp4',
        '8626345',
      ),
    ).toBe('Tech Meeting');
    expect(titleFromPackage('x/y.mp4', '1')).toBeNull();
  });
});
