// A table that scrolls sideways inside its card when the window is narrower than the table,
// instead of widening the page. The scrolling box takes keyboard focus (arrow keys scroll
// it) and is named after the table, so it is announced as what it holds.
import type { ReactNode } from 'react';

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
