// Contributions: log your work, filter the log, summaries with a chart, CSV export.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isLocale } from '../../../shared/locales';
import { useAction, useGovernanceQuery } from './use-governance';
import { ContributionForm } from './contribution-form';
import { ContributionFilters, filterInput, noFilters } from './contribution-filters';
import { ContributionLog } from './contribution-log';
import { ContributionSummary } from './contribution-summary';
import { FormError } from './form-error';
import { downloadFile } from './download';
import { MyStanding } from './standing-view';

export function ContributionsScreen(_props: { params: string[] }) {
  const { t, i18n } = useTranslation('governance');
  const [filters, setFilters] = useState(noFilters);
  const exporting = useAction();
  const circles = useGovernanceQuery(() => api().governance.circles({}), 'circles');
  const members = useGovernanceQuery(() => api().governance.contributionSummary({ groupBy: ['member'], filter: {} }), 'members');
  const open = (circles.data ?? []).filter((c) => !c.archived);
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  return (
    <section aria-labelledby="contributions-title">
      <div className="gov-heading">
        <h1 id="contributions-title">{t('contributions.title')}</h1>
        <button type="button" onClick={() => void exporting.run(async () => downloadFile(await api().governance.exportContributions({ filter: filterInput(filters), locale })))}>
          {t('contributions.exportCsv')}
        </button>
      </div>
      <p className="muted">{t('contributions.intro')}</p>
      <FormError error={exporting.error} />
      <MyStanding />
      {circles.data && open.length === 0 ? (
        <p className="muted">{t('contributions.noCircles')}</p>
      ) : (
        open.length > 0 && <ContributionForm circles={open} canLogForOthers={false} title={t('contributions.logYourWork')} />
      )}
      <ContributionFilters value={filters} onChange={setFilters} circles={circles.data ?? []} members={members.data ?? []} />
      <ContributionSummary filters={filters} />
      <ContributionLog filters={filters} />
    </section>
  );
}
