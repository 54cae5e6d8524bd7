import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { ROOT, waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { confirmLinkFor, inviteViaSlack } from './support/flows';
import { World } from './support/world';

jest.setTimeout(120_000);
const RITA = 'U0RITA001';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The confirm page in a real headless browser (Debian's chromium driven by playwright-core), at phone width. */
describe('the confirm page in a browser', () => {
  let w: World;
  let browser: Browser;
  beforeAll(async () => {
    w = await World.start();
    await recruiter(w.app, RITA, true);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('opens the link from the sent email, answers with the keyboard, and sees the confirmation', async () => {
    const p = await project(w.app, 'Backend Engineer Göteborg');
    const anna = await candidate(w.app, p.id, 'Anna', 'Lindqvist', { mobile: '0701234567' });
    const iv = await inviteViaSlack(w, RITA, p.title, p.id, [anna.id], { step1: { location: 'Kungsgatan 1, Göteborg' } });
    const link = await confirmLinkFor(w, anna.candidate.email);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(w.app.url) && !r.url().startsWith(`http://localhost:${w.app.port}`)) external.push(r.url());
    });
    await page.goto(`${w.app.url}${new URL(link).pathname}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expect(await page.content()).toContain('Kungsgatan 1, Göteborg');
    const buttons = page.getByRole('button');
    expect(await buttons.count()).toBe(4);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results/confirm-page.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') fs.copyFileSync(path.join(ROOT, 'test-results/confirm-page.png'), path.join(ROOT, 'docs/confirm-page.png'));

    const yes = page.getByRole('button', { name: /Ja, jag kommer/ });
    await yes.focus();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Ja, jag kommer/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').innerText()).toMatch(/Tack|svar/i);
    await page.screenshot({ path: path.join(ROOT, 'test-results/confirm-page-answered.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') fs.copyFileSync(path.join(ROOT, 'test-results/confirm-page-answered.png'), path.join(ROOT, 'docs/confirm-page-answered.png'));
    expect(external).toEqual([]);

    const detail = (await w.app.api('GET', `/api/interviews/${iv.id}`)).body;
    expect(detail.invitations[0].status).toBe('accepted');
    await waitFor(() => w.slack.calls.find((c) => c.method === 'chat.update' && /accepted/.test(JSON.stringify(c.args.blocks))), 15_000, 'the card');
    await page.close();
  });
});
