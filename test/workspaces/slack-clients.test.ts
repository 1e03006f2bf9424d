/** Multi-workspace mode's per-team Slack adapters are bounded: the least recently used team's is dropped. */
import { createLogger } from '../../src/logger.js';
import { WORKSPACE_SLACK_MAX, WorkspaceSlackClients } from '../../src/workspaces/slack-clients.js';

// Nothing here calls Slack: an adapter is built, not used.
const clients = (max?: number) =>
  new WorkspaceSlackClients({
    apiUrl: 'http://127.0.0.1:9/api/',
    logger: createLogger({ level: 'silent', secrets: [] }),
    ...(max === undefined ? {} : { max }),
  });

test('keeps at most its bound of workspaces; the least recently used is dropped and refused until seen again', () => {
  const slack = clients(2);
  slack.remember('T0BOUND01', 'xoxb-bound-one');
  slack.remember('T0BOUND02', 'xoxb-bound-two');
  const first = slack.for('T0BOUND01'); // T0BOUND01 is now the most recently used
  slack.remember('T0BOUND03', 'xoxb-bound-three');
  expect(() => slack.for('T0BOUND02')).toThrow(/T0BOUND02/);
  expect(slack.for('T0BOUND01')).toBe(first);
  expect(slack.for('T0BOUND03')).not.toBe(first);
  // Its next request brings it back, with a new adapter.
  slack.remember('T0BOUND02', 'xoxb-bound-two');
  expect(() => slack.for('T0BOUND02')).not.toThrow();
  expect(() => slack.for('T0BOUND01')).toThrow(/T0BOUND01/);
});

test('the same token keeps its adapter; a new token (a refresh) gets a new one without growing', () => {
  const slack = clients(2);
  slack.remember('T0BOUND01', 'xoxb-bound-one');
  const before = slack.for('T0BOUND01');
  slack.remember('T0BOUND01', 'xoxb-bound-one');
  expect(slack.for('T0BOUND01')).toBe(before);
  slack.remember('T0BOUND01', 'xoxb-bound-one-refreshed');
  expect(slack.for('T0BOUND01')).not.toBe(before);
  slack.remember('T0BOUND02', 'xoxb-bound-two');
  expect(slack.for('T0BOUND01')).not.toBe(before); // still there: two teams fit
});

test('the default bound is finite', () => {
  expect(Number.isInteger(WORKSPACE_SLACK_MAX)).toBe(true);
  expect(WORKSPACE_SLACK_MAX).toBeGreaterThan(0);
  const slack = clients();
  for (let i = 0; i <= WORKSPACE_SLACK_MAX; i++) slack.remember(`T0MANY${i}`, `xoxb-many-${i}`);
  expect(() => slack.for('T0MANY0')).toThrow(/T0MANY0/);
  expect(() => slack.for(`T0MANY${WORKSPACE_SLACK_MAX}`)).not.toThrow();
});
