import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isLocale } from '../../../shared/locales';
import { useAction, useGovernanceQuery } from '../governance/use-governance';
import { ContributionForm } from '../governance/contribution-form';
import { ContributionFilters, filterInput, noFilters } from '../governance/contribution-filters';
import { ContributionLog } from '../governance/contribution-log';
import { ContributionSummary } from '../governance/contribution-summary';
import { FormError } from '../governance/form-error';
import { downloadFile } from '../governance/download';
import type { ViewProps } from './view-props';
import '../governance/governance.css';

export function ContributionsView(_props: ViewProps) {
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
