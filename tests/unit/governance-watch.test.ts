// The renderer's governance views reload from the core's event: those of the circles it
// names, those across circles always, and all of them when it names none.
import { describe, expect, it } from 'vitest';
import { governanceChangedIn, watchGovernance } from '../../renderer/src/store/governance-watch';

describe('governance views reloading on a change', () => {
  it('reloads the views of the circles changed and those across circles', () => {
    const reloaded: string[] = [];
    const stops = [
      watchGovernance({ circle: 'A', reload: () => reloaded.push('A') }),
      watchGovernance({ circle: 'B', reload: () => reloaded.push('B') }),
      watchGovernance({ circle: undefined, reload: () => reloaded.push('all circles') }),
    ];
    governanceChangedIn(['A']);
    expect(reloaded.splice(0)).toEqual(['A', 'all circles']);
    governanceChangedIn(['B', 'C']);
    expect(reloaded.splice(0)).toEqual(['B', 'all circles']);
    governanceChangedIn([]);
    expect(reloaded.splice(0)).toEqual(['A', 'B', 'all circles']);
    stops[0]!();
    governanceChangedIn(['A']);
    expect(reloaded.splice(0)).toEqual(['all circles']);
    for (const stop of stops) stop();
  });
});
