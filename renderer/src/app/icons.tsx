// Navigation icons, drawn inline so the app needs no icon font or remote asset.
import type { Section } from '../store/nav-slice';

const paths: Record<Section, string> = {
  today: 'M4 5h16v15H4zM4 9h16M8 3v4M16 3v4',
  circles: 'M12 12m-8 0a8 8 0 1 0 16 0a8 8 0 1 0 -16 0M12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0',
  assemblies: 'M3 20h18M5 20V10l7-5 7 5v10M9 20v-5h6v5',
  votes: 'M4 12l5 5L20 6',
  contributions: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  chat: 'M4 5h16v11H9l-5 4z',
  settings: 'M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8M12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2',
};

export function SectionIcon({ section }: { section: Section }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[section]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
