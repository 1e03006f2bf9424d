import { buildMeetingUnfurl } from '../../src/views/unfurl.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';

describe('meeting unfurl card', () => {
  const base = {
    meetId: '1234567',
    title: 'Design <review>',
    hostSlackUserId: 'U0HOST',
    start: new Date('2030-02-12T16:00:00Z'),
    joinUrl: 'https://acme.megameeting.com/meeting/?id=1234567',
  };
  test.each(['upcoming', 'live', 'open'] as const)('%s: valid, with Join', (state) => {
    const blocks = buildMeetingUnfurl({ ...base, state });
    assertValidMessageBlocks(blocks);
    expect(JSON.stringify(blocks)).toContain(base.joinUrl);
    expect(JSON.stringify(blocks)).toContain('Design &lt;review&gt;');
  });
  test('ended: valid, without Join; personal-links-only: a lock note and no Join', () => {
    const ended = buildMeetingUnfurl({ ...base, state: 'ended' });
    assertValidMessageBlocks(ended);
    expect(JSON.stringify(ended)).not.toContain(base.joinUrl);
    const secure = buildMeetingUnfurl({ ...base, state: 'live', joinUrl: null, personalLinksOnly: true });
    assertValidMessageBlocks(secure);
    expect(JSON.stringify(secure)).toContain(':lock:');
  });
});
