/**
 * The floor of this stack for `npm run bench`: a Bolt 5 app over HTTP that only acknowledges `/meet`.
 * Plain JavaScript (no transpiler at run time), like the built app. Env: PORT, SLACK_SIGNING_SECRET.
 */
import bolt from '@slack/bolt';

const { App, HTTPReceiver } = bolt;
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
  processBeforeResponse: false,
});
// A single-workspace token, as the app has; botId and botUserId given, so Bolt never calls auth.test (no Slack).
const app = new App({
  receiver,
  token: 'xoxb-bench-bare-bolt',
  botId: 'B0BENCHBOT',
  botUserId: 'U0BENCHBOT',
  tokenVerificationEnabled: false,
});
app.command('/meet', async ({ ack }) => {
  await ack();
});
await app.start(Number(process.env.PORT ?? 3000));
process.stdout.write('bare bolt ready\n');
process.on('SIGTERM', () => {
  app.stop().then(() => process.exit(0));
});
