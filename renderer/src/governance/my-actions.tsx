// Today's list of the member's own open action items, from every circle's assemblies,
// soonest due first, each ticked off in place.
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useGovernanceQuery } from './use-governance';
import { ActionItemRow } from './actions-section';
import './governance.css';

export default function MyActions() {
  const { t } = useTranslation('governance');
  const mine = useGovernanceQuery(() => api().governance.myActions({}), 'my-actions');
  if (!mine.data || mine.data.length === 0) return null;
  return (
    <section className="today-section" aria-labelledby="my-actions-title">
      <h2 id="my-actions-title">{t('actions.mine')}</h2>
      <ul className="gov-actions">
        {mine.data.map((a) => (
          <ActionItemRow key={`${a.circle}/${a.actionId}`} action={a} canFacilitate={false} showAssembly />
        ))}
      </ul>
    </section>
  );
}
