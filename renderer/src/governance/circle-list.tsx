import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { formatRoute } from '../store/nav-slice';
import { usePlenary } from '../store';
import { useGovernanceQuery } from './use-governance';
import { CircleCreateForm } from './circle-create-form';
import { FormError } from './form-error';
import { nextOccurrences } from '../../../shared/schedule/schedule';
import { formatWeekdayTime, localTimeZone } from './format';

export function CircleList() {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const circles = useGovernanceQuery(() => api().governance.circles({}), 'circles');
  const [creating, setCreating] = useState(false);
  const list = circles.data ?? [];
  const showForm = creating || (circles.data !== null && list.length === 0);

  return (
    <section aria-labelledby="circles-title">
      <div className="gov-heading">
        <h1 id="circles-title">{t('circles.title')}</h1>
        {!showForm && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('circles.create.open')}
          </button>
        )}
      </div>
      <FormError error={circles.error} />
      {circles.data !== null && list.length === 0 && <p className="muted">{t('circles.empty')}</p>}
      {showForm && <CircleCreateForm {...(list.length > 0 ? { onCancel: () => setCreating(false) } : {})} />}
      <ul className="gov-cards">
        {list.map((circle) => {
          const next = circle.schedule ? nextOccurrences(circle.schedule, Date.now(), 1)[0] : undefined;
          const href = formatRoute({ section: 'circles', params: [circle.id] });
          return (
            <li key={circle.id} className="card gov-card">
              <h2>
                <a
                  href={href}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate({ section: 'circles', params: [circle.id] });
                  }}
                >
                  {circle.name}
                </a>
              </h2>
              {circle.purpose && <p>{circle.purpose}</p>}
              <p className="muted gov-meta">
                <span>{t('circles.memberCount', { count: circle.memberCount })}</span>
                {circle.myRole && <span>{t(`roles.${circle.myRole}`)}</span>}
                {circle.openVotes > 0 && <span>{t('circles.openVotes', { count: circle.openVotes })}</span>}
                {circle.archived && <span className="badge">{t('circles.archived')}</span>}
                {next !== undefined && <span>{t('circles.nextMeeting', { time: formatWeekdayTime(next, i18n.language, localTimeZone()) })}</span>}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
