// Member standing under the coop's own rules: the coop's coop.json sets thresholds (one
// circle, three quarters of the all-hands meetings, 10 hours this month); a member who went
// to 1 of 2 meetings and logged 8 hours sees "1 meeting short" and "2 h short" on Contributions, and as the circle's facilitator sees each member's
// standing on the circle's members section. Plenary runs as `npm run start:web`.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';

let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'standing', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'plenary-standing-'));
  const coopConfig = join(dir, 'coop.json');
  await writeFile(
    coopConfig,
    JSON.stringify({
      version: 1,
      coop: { name: 'meet.coop' },
      standing: { minCircles: 1, allHands: { circle: 'All hands', minShare: 0.75 }, hours: { min: 10, months: 1 } },
    }),
  );
  app = await startPlenaryWeb({ coopConfig });
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("member standing under the coop's rules", () => {
  it('shows the member their standing with the hours short', async () => {
    const { page } = opened;
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Circles' }).click();
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('All hands');
    await create.getByLabel('Purpose').fill('Every member, every month.');
    await create.getByLabel('Circle time zone').fill('Europe/Madrid');
    await create.getByLabel('Your name in this circle').fill('Alice');
    await create.getByLabel('Your time zone').fill('Europe/Madrid');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'All hands' }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bob');
    await add.getByLabel('Matrix ID').fill('@bob:meet.coop');
    await add.getByLabel('Time zone').fill('America/Toronto');
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Bob/ }).first().waitFor();

    // Two all-hands meetings: Alice at the first, absent from the second.
    for (const [title, status] of [['October all-hands', 'Present'], ['November all-hands', 'Absent']] as const) {
      await nav.getByRole('link', { name: 'Circles' }).click();
      await page.getByRole('link', { name: 'All hands' }).first().click();
      await page.getByRole('button', { name: 'Plan an assembly' }).click();
      const plan = page.getByRole('form', { name: 'Plan an assembly' });
      await plan.getByLabel('Title').fill(title);
      await plan.getByRole('button', { name: 'Create assembly' }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByRole('button', { name: 'Open the assembly' }).click();
      await page.getByText('In session', { exact: true }).first().waitFor();
      await page.getByRole('group', { name: 'Alice' }).getByLabel(status).check();
      await expect.poll(() => page.getByRole('group', { name: 'Alice' }).getByLabel(status).isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Close the assembly…' }).click();
      await page.getByRole('button', { name: 'Close and finalise minutes' }).click();
      await page.getByText('Closed', { exact: true }).first().waitFor();
    }

    await nav.getByRole('link', { name: 'Contributions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contributions' }).waitFor();
    const mine = page.getByRole('form', { name: 'Log your work' });
    await mine.getByLabel('Hours').fill('8');
    await mine.getByLabel('Value stream').selectOption('care');
    await mine.getByLabel('What you did').fill('Onboarded two new members');
    await mine.getByRole('button', { name: 'Log' }).click();

    const standing = page.getByRole('region', { name: 'Your standing' });
    await expect.poll(() => standing.textContent()).toContain('Logged 8 h this month; needs 10 h — 2 h short');
    const text = await standing.textContent();
    expect(text).toContain('Not in good standing yet');
    expect(text).toContain('Member of 1 circle; needs 1');
    expect(text).toContain('Attended 1 of 2 all-hands meetings; needs 2 — 1 meeting short');
    await shot(page, '01-my-standing');
    await expectNoSeriousAxeFindings(page, 'my standing');
  });

  it("shows the facilitator each member's standing", async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
    await page.getByRole('link', { name: 'All hands' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'All hands' }).waitFor();
    const table = page.getByRole('table', { name: "Members' standing" });
    await expect.poll(() => table.getByRole('row', { name: /^Bob/ }).textContent()).toContain('Logged 0 h this month; needs 10 h — 10 h short');
    expect(await table.getByRole('row', { name: /^Alice/ }).textContent()).toContain('2 h short');
    await shot(page, '02-circle-standing');
    await expectNoSeriousAxeFindings(page, 'circle standing');
  });

  it('is shown in the member\'s language', async () => {
    const other = await openApp(browser, app, { locale: 'es-ES' });
    try {
      const { page } = other;
      await page.getByRole('navigation').first().waitFor();
      const region = page.getByRole('region', { name: 'Tu situación como socia' });
      await page.getByRole('navigation').first().getByRole('link', { name: 'Contribuciones' }).click();
      await expect.poll(() => region.textContent()).toContain('Faltan 2 h');
      await shot(page, '03-my-standing-es');
    } finally {
      await other.page.context().close();
    }
  });
});
