// Starting a circle in the app, as a facilitator does on the Circles page: its name and time
// zone, the facilitator's own name, then each member by name and Matrix ID. Shared by the
// end-to-end tests so each says only what its circle is.
import type { Page } from 'playwright-core';

export interface CircleInTheApp {
  name: string;
  timeZone: string;
  /** The facilitator's name in the circle (this computer's identity). */
  me: string;
  /** Further members: name and Matrix ID. */
  members?: readonly (readonly [name: string, matrixId: string])[];
}

export async function startCircle(page: Page, circle: CircleInTheApp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
  const create = page.getByRole('form', { name: 'Start a circle' });
  await create.getByLabel('Name', { exact: true }).fill(circle.name);
  await create.getByLabel('Circle time zone').fill(circle.timeZone);
  await create.getByLabel('Your name in this circle').fill(circle.me);
  await create.getByLabel('Your time zone').fill(circle.timeZone);
  await create.getByRole('button', { name: 'Create circle' }).click();
  await page.getByRole('heading', { level: 1, name: circle.name }).waitFor();
  const add = page.getByRole('form', { name: 'Add a member' });
  for (const [name, id] of circle.members ?? []) {
    await add.getByLabel('Name').fill(name);
    await add.getByLabel('Matrix ID (optional)').fill(id);
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: new RegExp(`^${name}`) }).waitFor();
  }
}
