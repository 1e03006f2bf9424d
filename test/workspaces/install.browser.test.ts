/**
 * The install pages in a real headless Chromium: the install page's Add to Slack button, the Slack stand-in's
 * authorize page (Allow / Cancel), the redirect back with code and state (the state cookie set by the install
 * page travels with it, as in any browser), and the success or cancelled page.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { installer, type MultiTestApp, startMultiTestApp } from './harness.js';

const WAIT = 20_000;
let app: MultiTestApp;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  app = await startMultiTestApp();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

beforeEach(async () => {
  context = await browser.newContext();
});
afterEach(async () => {
  await context?.close();
});

test('Add to Slack → Allow on Slack → the success page with the next step; the workspace is installed', async () => {
  app.slack.authorizeAs = installer('T0BROWSER', { teamName: 'Browser Team' });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${app.base}/slack/install`);
  await expect(page.title()).resolves.toContain('Add to Slack');
  await page.getByRole('link', { name: 'Add to Slack' }).click();
  await page.waitForURL((u) => u.pathname === '/oauth/v2/authorize');
  await expect(page.locator('h1').textContent()).resolves.toContain('Browser Team');
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL((u) => u.pathname === '/slack/oauth_redirect');
  await expect(page.locator('h1').textContent()).resolves.toBe('MegaMeeting is installed in Browser Team');
  await expect(page.locator('main').textContent()).resolves.toContain('/meet connect');
  const stored = await app.running.installations.find(
    { teamId: 'T0BROWSER', isEnterpriseInstall: false },
    new Date(),
  );
  expect(stored?.teamName).toBe('Browser Team');
}, 60_000);

test('Cancel on Slack → the cancelled page with a way to start again; nothing installed', async () => {
  app.slack.authorizeAs = installer('T0CANCEL');
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${app.base}/slack/install`);
  await page.getByRole('link', { name: 'Add to Slack' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL((u) => u.pathname === '/slack/oauth_redirect');
  await expect(page.locator('h1').textContent()).resolves.toBe('Installation cancelled');
  await page.getByRole('link', { name: 'Start again' }).click();
  await page.waitForURL((u) => u.pathname === '/slack/install');
  expect(
    await app.running.installations.find({ teamId: 'T0CANCEL', isEnterpriseInstall: false }, new Date()),
  ).toBeNull();
}, 60_000);
