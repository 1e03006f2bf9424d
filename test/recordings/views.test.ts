import { describe, expect, it } from '@jest/globals';
import { ACTIONS } from '../../src/views/ids.js';
import {
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
    ]);
    expect(m.text).toContain(data.downloadUrl);
  });

  it('ready DM without a play URL or a parsable date', () => {
    const m = buildRecordingReadyMessage({ ...data, playUrl: null, recordedAt: null });
    assertValidMessageBlocks(m.blocks);
    expect(JSON.stringify(m.blocks)).toContain('Feb 8, 2021 10:50:20');
    expect(JSON.stringify(m.blocks)).not.toContain(ACTIONS.play);
  });

  it('failed DM has Try again; retrying message has no buttons', () => {
    const f = buildRecordingFailedMessage(data);
    assertValidMessageBlocks(f.blocks);
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
