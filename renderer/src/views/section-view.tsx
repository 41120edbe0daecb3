import { useTranslation } from 'react-i18next';
import type { Section } from '../store/nav-slice';

/** A section's frame: its heading and, until it has content, what will appear there. */
export function SectionFrame({ section, children }: { section: Section; children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${section}-title`}>
      <h1 id={`${section}-title`}>{t(`nav.${section}`)}</h1>
      {children ?? <p className="muted">{t(`empty.${section}`)}</p>}
    </section>
  );
}
