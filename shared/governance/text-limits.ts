// Length limits the forms show as counters, apart from the operation schemas (operation-types.ts
// re-exports them) so a screen that only needs a limit does not load zod and every schema:
// Today's action items did, and that was 87 kB parsed during the first paint.

/** An action item's text, in characters. */
export const maxActionText = 500;
