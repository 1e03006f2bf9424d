/**
 * The sandbox in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core): a person types
 * `/meet …`, presses buttons and fills modals in the page; the page sends Slack's signed requests to the real
 * app, which talks to the emulator and the Web API stand-in; the page shows what the app did.
 * Screenshots of the card and the modal go to test-artifacts/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SANDBOX_CHANNELS, SANDBOX_PEOPLE } from '../../sandbox/people.js';
import { type Sandbox, startSandbox } from '../../sandbox/start.js';
import { launchChromium } from '../support/browser.js';

const ARTIFACTS = 'test-artifacts';
const WAIT = 20_000;
const [ANA, BEN, , GUS] = SANDBOX_PEOPLE as unknown as [
  (typeof SANDBOX_PEOPLE)[number],
  (typeof SANDBOX_PEOPLE)[number],
  (typeof SANDBOX_PEOPLE)[number],
  (typeof SANDBOX_PEOPLE)[number],
];
const GENERAL = SANDBOX_CHANNELS[0].id;
const dmOf = (userId: string) => `D${userId.slice(1)}`;

/** `YYYY-MM-DD` of the day `days` after today in `timeZone`. */
function dayIn(timeZone: string, days: number): string {
  const now = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
const logs: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  sandbox = await startSandbox({
    port: 0,
    logLevel: 'info',
    recordingsPollSeconds: 1,
    logDestination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    }),
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sandbox?.stop();
});

async function open(as: string, conversation: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${sandbox.url}?as=${as}&c=${conversation}`);
  return page;
}

async function type(page: Page, text: string): Promise<void> {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
}

/** The card (a message from the app) whose header is `title`. */
/**
 * A screenshot of one element. The page redraws its timeline (and the modal) whenever anything in the sandbox
 * changes, so the element may be replaced by its identical twin mid-capture ("not attached to the DOM"):
 * take it again from the fresh element.
 */
async function screenshotOf(target: Locator, path: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.screenshot({ path });
      return;
    } catch (err) {
      if (attempt >= 5 || !/not attached/i.test(String(err))) throw err;
    }
  }
}

function card(page: Page, title: string) {
  return page.locator('.msg.from-app', { has: page.locator('.bk-header', { hasText: title }) });
}

async function pressWithConfirm(page: Page, scope: ReturnType<typeof card>, button: string): Promise<void> {
  await scope.getByRole('button', { name: button }).click();
  await page.locator('#confirm-layer .confirm').click();
}

describe('the sandbox in a browser', () => {
  let designReviewId = '';

  test('/meet Design review shows a card whose Join button opens the emulator meeting page', async () => {
    const page = await open(ANA.id, GENERAL);
    await type(page, '/meet Design review');
    const designReview = card(page, 'Design review');
    await designReview.waitFor();
    designReviewId =
      (await designReview.getByRole('button', { name: 'End meeting' }).getAttribute('data-value')) ?? '';
    expect(designReviewId).toMatch(/^\d{7}$/);
    await screenshotOf(designReview, `${ARTIFACTS}/sandbox-card.png`);

    const [meetingPage] = await Promise.all([
      context.waitForEvent('page'),
      designReview.getByRole('button', { name: 'Join meeting' }).click(),
    ]);
    await meetingPage.waitForLoadState();
    expect(meetingPage.url()).toBe(`${sandbox.emulator.url}/meeting/?id=${designReviewId}`);
    expect(await meetingPage.content()).toContain(designReviewId);
    await meetingPage.close();
    await page.close();
  }, 90_000);

  test('End pressed by someone else is refused privately and the card stays', async () => {
    const page = await open(BEN.id, GENERAL);
    const designReview = card(page, 'Design review');
    await designReview.waitFor();
    await pressWithConfirm(page, designReview, 'End meeting');
    const refusal = page.locator('.msg.ephemeral', { hasText: /host/i });
    await refusal.waitFor();
    expect(await refusal.locator('.ephemeral-note').textContent()).toContain('Only visible to you');
    await expect(designReview.getByRole('button', { name: 'Join meeting' }).count()).resolves.toBe(1);
    expect(sandbox.emulator.state.meetings.get(designReviewId)?.endedAt ?? null).toBeNull();

    // Only Ben sees the refusal.
    const anaPage = await open(ANA.id, GENERAL);
    await card(anaPage, 'Design review').waitFor();
    await expect(anaPage.locator('.msg.ephemeral').count()).resolves.toBe(0);
    await anaPage.close();
    await page.close();
  }, 90_000);

  test('End pressed by the host updates the card in place', async () => {
    const page = await open(ANA.id, GENERAL);
    await pressWithConfirm(page, card(page, 'Design review'), 'End meeting');
    const ended = card(page, 'Ended: Design review');
    await ended.waitFor();
    await expect(ended.getByRole('button', { name: 'Join meeting' }).count()).resolves.toBe(0);
    await expect(ended.locator('.edited').count()).resolves.toBe(1);
    // The same message, updated: no second card with this meeting's ID.
    await expect(page.locator('.msg.from-app', { hasText: designReviewId }).count()).resolves.toBe(1);
    await page.close();
  }, 90_000);

  test('the admin may end a meeting someone else hosts', async () => {
    const DANA = SANDBOX_PEOPLE.find((p) => p.role === 'admin');
    const benPage = await open(BEN.id, GENERAL);
    await type(benPage, '/meet Standup');
    await card(benPage, 'Standup').waitFor();
    const danaPage = await open(DANA?.id ?? '', GENERAL);
    await pressWithConfirm(danaPage, card(danaPage, 'Standup'), 'End meeting');
    await card(danaPage, 'Ended: Standup').waitFor();
    // Everyone sees the card ended.
    await card(benPage, 'Ended: Standup').waitFor();
    await danaPage.close();
    await benPage.close();
  }, 90_000);

  test('/meet schedule: a zone typed into the searchable select, submit, a card at that time', async () => {
    const page = await open(ANA.id, GENERAL);
    await type(page, '/meet schedule Roadmap');
    const modal = page.locator('#modal-layer .modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Schedule a meeting');
    const date = dayIn('Asia/Tokyo', 2);
    await modal.locator('[data-action-id="sched_date_pick"] input').fill(date);
    await modal.locator('[data-action-id="sched_time_pick"] input').fill('09:00');
    const zone = modal.locator('[data-action-id="sched_zone_select"]');
    await zone.locator('.bk-search').fill('Tokyo');
    await zone.locator('.bk-options li', { hasText: 'Tokyo' }).first().click();
    expect(await zone.locator('.bk-value').inputValue()).toBe('Asia/Tokyo');
    await screenshotOf(modal, `${ARTIFACTS}/sandbox-schedule-modal.png`);
    await modal.locator('.bk-submit').click();
    await page.locator('#modal-layer').waitFor({ state: 'hidden' });

    const roadmap = card(page, 'Roadmap');
    await roadmap.waitFor();
    // 09:00 in Tokyo (UTC+9, no DST) is midnight UTC that day; Ana reads it in her own zone.
    const expected = Date.parse(`${date}T00:00:00Z`) / 1000;
    const start = roadmap.locator('time').first();
    expect(Number(await start.getAttribute('data-epoch'))).toBe(expected);
    const chicago = new Intl.DateTimeFormat('en-US', {
      timeZone: ANA.tz,
      hour: 'numeric',
      minute: '2-digit',
    }).format(new Date(expected * 1000));
    expect(await start.textContent()).toContain(chicago);
    await page.close();
  }, 90_000);

  test('/meet schedule with a past time shows the inline error and keeps the modal open', async () => {
    const page = await open(ANA.id, GENERAL);
    await type(page, '/meet schedule Too late');
    const modal = page.locator('#modal-layer .modal');
    await modal.waitFor();
    await modal.locator('[data-action-id="sched_date_pick"] input').fill(dayIn(ANA.tz, -1));
    await modal.locator('.bk-submit').click();
    const error = modal.locator('.bk-error:not([hidden])');
    await error.first().waitFor();
    expect(await error.first().textContent()).toMatch(/in the past/);
    await expect(page.locator('#modal-layer').isVisible()).resolves.toBe(true);
    await modal.locator('.bk-close').click();
    await page.locator('#modal-layer').waitFor({ state: 'hidden' });
    await expect(card(page, 'Too late').count()).resolves.toBe(0);
    await page.close();
  }, 90_000);

  test('a secure meeting DMs the guest their personal link; the channel shows none', async () => {
    const page = await open(ANA.id, GENERAL);
    await type(page, '/meet secure Board prep');
    const modal = page.locator('#modal-layer .modal');
    await modal.waitFor();
    await modal.locator('[data-action-id="sched_date_pick"] input').fill(dayIn(ANA.tz, 2));
    await modal.locator('[data-action-id="sched_guest_users_select"] select').selectOption(GUS.id);
    await modal.locator('.bk-submit').click();
    await page.locator('#modal-layer').waitFor({ state: 'hidden' });
    await card(page, 'Board prep').waitFor();

    const guestPage = await open(GUS.id, dmOf(GUS.id));
    const invitation = guestPage.locator('.msg.from-app', { hasText: 'Board prep' });
    await invitation.waitFor();
    const links = await invitation
      .locator('[data-url], a[href]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-url') ?? e.getAttribute('href') ?? ''));
    expect(links.some((l) => /\/meeting\/\?key=[a-z0-9]{12}$/.test(l))).toBe(true);

    // Nobody sees a personal link in the channel: not in the page, not in what Slack stored.
    for (const who of [ANA.id, GUS.id]) {
      const channelPage = await open(who, GENERAL);
      await card(channelPage, 'Board prep').waitFor();
      expect(await channelPage.locator('#timeline').innerHTML()).not.toMatch(/[?&]key=/);
      await channelPage.close();
    }
    expect(JSON.stringify(sandbox.slack.messagesIn(GENERAL))).not.toMatch(/[?&]key=/);
    await guestPage.close();
    await page.close();
  }, 90_000);

  test('"finish a recording" makes the app DM the host Download and Play buttons', async () => {
    const page = await open(ANA.id, dmOf(ANA.id));
    await page.locator('#recording-meeting').selectOption(designReviewId);
    await page.getByRole('button', { name: 'Finish a recording' }).click();
    const dm = page.locator('.msg.from-app', { hasText: 'Your recording of' });
    await dm.waitFor();
    expect(await dm.textContent()).toContain('Design review');
    await expect(dm.getByRole('button', { name: 'Download' }).count()).resolves.toBe(1);
    await page.close();
  }, 90_000);

  test('opening the Home tab sends app_home_opened, signed, and the app takes it', async () => {
    const before = logs.length;
    const page = await open(ANA.id, 'home');
    // The app publishes Home on every app_home_opened; the page polls and shows what it published.
    await page.locator('#timeline .home').waitFor();
    expect(sandbox.slack.homeView(ANA.id)).toBeDefined();
    await expect(page.locator('#timeline .home').count()).resolves.toBe(1);
    const answer = await page.evaluate(async (as) => {
      const res = await fetch('/ui/home', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as }),
      });
      return res.json();
    }, ANA.id);
    expect(answer).toEqual({ ok: true });
    expect(logs.slice(before).filter((l) => /signature|401/i.test(l))).toEqual([]);
    await page.close();
  }, 90_000);

  test('the app never logged an error while people used the sandbox', () => {
    const errors = logs.filter((l) => /"level":(50|60)/.test(l));
    expect(errors).toEqual([]);
  });
});
