import { describe, expect, it } from '@jest/globals';
import { ACTIONS, SHARE_RECORDING_IDS as IDS, VIEWS } from '../../src/views/ids.js';
import {
  buildShareDoneView,
  buildSharedRecordingCard,
  buildShareRecordingModal,
  buildShareSendingView,
  readShareForm,
} from '../../src/views/recording-share.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';

const data = {
  recId: '59216bccfe32133c86597a6b',
  meetId: '8626345',
  title: 'Tech <Meeting> & more',
  recordedAt: new Date('2021-02-08T10:50:20Z'),
  recordedAtRaw: 'Feb 8, 2021 10:50:20',
  downloadUrl: 'https://myaccount.megameeting.com/getweb?recordingkey=/a/b.mp4',
  playUrl: 'https://myaccount.megameeting.com/videoplayer/?key=8626345&session=1612802816164',
};

function channelValues(selected: string | null) {
  return {
    [IDS.channel.block]: {
      [IDS.channel.action]: { type: 'conversations_select', selected_conversation: selected },
    },
  };
}

describe('share views', () => {
  it('the modal: a channel picker (public and private), the note on who can watch, the recording in its metadata', () => {
    const m = buildShareRecordingModal({ recId: data.recId, title: data.title });
    assertValidModal(m);
    expect(m.callback_id).toBe(VIEWS.shareRecording);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('*Tech &lt;Meeting&gt; &amp; more*');
    expect(json).toContain('"include":["public","private"]');
    expect(json).toContain('Everyone in the channel you pick can watch it');
    expect(JSON.parse(m.private_metadata ?? '')).toEqual({ recId: data.recId, title: data.title });
    expect(JSON.stringify(buildShareRecordingModal({ recId: 'r', title: null }).blocks)).toContain(
      'this recording',
    );
  });

  it('the modal again after a failure: the reason first, the channel still picked', () => {
    const m = buildShareRecordingModal({
      recId: 'r',
      title: null,
      channelId: 'C0X',
      problem: "I'm not in <#C0X>.",
    });
    assertValidModal(m);
    expect(m.blocks[0]).toMatchObject({ block_id: 'share_problem' });
    expect(JSON.stringify(m.blocks)).toContain('"initial_conversation":"C0X"');
    expect(m.submit?.text).toBe('Share');
  });

  it('sending and done states: valid, no submit button', () => {
    const sending = buildShareSendingView({ recId: 'r', title: null }, 'C0X');
    assertValidModal(sending);
    expect(sending.submit).toBeUndefined();
    const done = buildShareDoneView('r', 'C0X', data.title);
    assertValidModal(done);
    expect(done.submit).toBeUndefined();
    expect(JSON.stringify(done.blocks)).toContain('Everyone in that channel can watch it');
  });

  it('the card: who shared what, a Play button, the note; no Download link', () => {
    const card = buildSharedRecordingCard(data, 'U0HOST');
    assertValidMessageBlocks(card.blocks);
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('<@U0HOST> shared the recording of *Tech &lt;Meeting&gt; &amp; more*');
    expect(json).toContain(`"url":"${data.playUrl}"`);
    expect(json).toContain(`"action_id":"${ACTIONS.play}"`);
    expect(json).toContain('Everyone in this channel can watch it');
    expect(json).not.toContain('getweb');
    expect(card.text).toContain(data.playUrl);
  });

  it('reads the form: the recording from the metadata, a channel; inline errors otherwise', () => {
    const meta = JSON.stringify({ recId: 'r1', title: 'T' });
    expect(readShareForm(channelValues('C0ABC'), meta)).toEqual({
      ok: true,
      meta: { recId: 'r1', title: 'T' },
      channelId: 'C0ABC',
    });
    expect(readShareForm(channelValues('G0PRIV'), JSON.stringify({ recId: 'r1' }))).toMatchObject({
      ok: true,
      meta: { recId: 'r1', title: null },
    });
    expect(readShareForm(channelValues(null), meta)).toEqual({
      ok: false,
      errors: { [IDS.channel.block]: 'Pick the channel to share the recording in.' },
    });
    expect(readShareForm(channelValues('D0DM'), meta).ok).toBe(false);
    expect(readShareForm(channelValues('C0ABC'), 'not json')).toMatchObject({ ok: false });
    expect(readShareForm('garbage', meta)).toMatchObject({ ok: false });
  });
});
