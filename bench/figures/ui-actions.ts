// ui.action_p50_ms, ui.action_p95_ms: how long a facilitator waits for an action to show in
// the assembly view (goal: p95 <= 100 ms), in headless Chromium through `npm run start:web`
// on the coop of ui-actions-seed.ts. Each sample runs from the member's own input event
// (the click or key press, caught in the page) to the moment the page shows the result the
// core stored (a MutationObserver in the page sees it), so the browser driver's own
// overhead is not counted. Actions: record a ballot, mark attendance, log a contribution,
// add an agenda item.
import type { Page } from 'playwright-core';
import type { FacilitationData } from './ui-actions-seed';

/** What the page shows once the action is done: text appearing (or, first gone, appearing again) in an element. */
interface Until {
  selector: string;
  text: string;
  /** The text is there before the action: wait for it to go, then to come back. */
  reappears?: boolean;
}

// Runs in the page. Written as text: tsx compiles functions with name helpers the page lacks.
const watchScript = (until: Until) => `(() => {
  const until = ${JSON.stringify(until)};
  const w = window;
  w.__benchStart = null;
  const mark = () => { if (w.__benchStart === null) w.__benchStart = performance.now(); };
  for (const type of ['pointerdown', 'keydown', 'change']) document.addEventListener(type, mark, true);
  let seenGone = !until.reappears;
  const shown = () => Array.from(document.querySelectorAll(until.selector)).some((el) => (el.textContent || '').includes(until.text));
  w.__benchDone = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (w.__benchStart === null) return;
      if (!shown()) seenGone = true;
      else if (seenGone) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  });
  w.__benchStop = () => { for (const type of ['pointerdown', 'keydown', 'change']) document.removeEventListener(type, mark, true); };
})()`;

const resultScript = `(async () => {
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error('the result did not show within 10 s')), 10000));
  const done = await Promise.race([window.__benchDone, late]);
  window.__benchStop();
  return done - window.__benchStart;
})()`;

async function measure(page: Page, act: () => Promise<void>, until: Until): Promise<number> {
  await page.evaluate(watchScript(until));
  await act();
  return (await page.evaluate(resultScript)) as number;
}

/** Where the assembly stands, carried from one batch of rounds to the next. */
export interface RoundState {
  round: number;
  present: number;
  undecided: number;
  items: number;
}

export const startState = (data: FacilitationData): RoundState => ({ round: 0, present: 0, undecided: data.memberNames.length, items: 3 });

export async function actionSamples(page: Page, data: FacilitationData, rounds: number, state: RoundState): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = { ballot: [], attendance: [], contribution: [], agenda: [] };
  const members = data.memberNames.filter((name) => name !== 'Facilitator');
  const panel = '.gov-vote-panel';
  if (state.round + rounds > members.length) throw new Error(`the circle has ${members.length} members to go round, not ${state.round + rounds}`);
  for (let i = 0; i < rounds; i++) {
    const round = state.round++;
    const name = members[round]!;

    // Record a ballot for the next member (a proxy ballot), as a facilitator going round the room.
    const region = page.getByRole('region', { name: 'Adopt the budget?' });
    await region.getByLabel('Voter').selectOption({ label: name });
    await region.getByRole('group', { name: `Choice of ${name}` }).getByLabel('Agree').check();
    if (state.undecided > 1) {
      const undecided = --state.undecided;
      samples.ballot!.push(
        await measure(page, () => region.getByRole('button', { name: `Record ballot for ${name}` }).click(), {
          selector: `${panel} .gov-meta`,
          text: undecided === 1 ? '1 member has not voted' : `${undecided} members have not voted`,
        }),
      );
    }

    // Mark the member present.
    const present = ++state.present;
    samples.attendance!.push(
      await measure(page, () => page.getByRole('group', { name, exact: true }).getByLabel('Present').check(), {
        selector: '#attendance-title + p',
        text: `Present ${present} ·`,
      }),
    );

    // Log their work from the quick entry.
    const quick = page.getByRole('form', { name: 'Quick contribution entry' });
    await quick.getByLabel('Member').selectOption({ label: name });
    await quick.getByLabel('Hours').fill('1');
    samples.contribution!.push(
      await measure(page, () => quick.getByRole('button', { name: 'Log' }).click(), { selector: '.gov-contribution-form .gov-saved', text: 'Logged.', reappears: round > 0 }),
    );

    // Add an agenda item.
    const items = ++state.items;
    await page.getByLabel('New agenda item').fill(`Point ${items}`);
    samples.agenda!.push(await measure(page, () => page.getByLabel('New agenda item').press('Enter'), { selector: '.gov-agenda h3', text: `${items}. Point ${items}` }));
  }
  return samples;
}
