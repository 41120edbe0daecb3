import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import type { AssemblySummary, CircleDetail } from '../../../shared/governance/views';
import { useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { AssemblyCreateForm } from './assembly-create-form';
import { formatDateTime } from './format';

function AssemblyItem({ assembly, showCircle }: { assembly: AssemblySummary; showCircle: boolean }) {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const route = { section: 'assemblies' as const, params: [assembly.circle, assembly.id] };
  const when = assembly.openedAt ?? assembly.scheduledAt;
  return (
    <li className="gov-row">
      <a
        href={formatRoute(route)}
        onClick={(e) => {
          e.preventDefault();
          navigate(route);
        }}
      >
        {assembly.title}
      </a>
      <span className={`badge ${assembly.status}`}>{t(`assemblyStatus.${assembly.status}`)}</span>
      {showCircle && <span className="muted">{assembly.circleName}</span>}
      {when !== null && <span className="muted">{formatDateTime(when, i18n.language)}</span>}
      <span className="muted">{t('assemblies.agendaCount', { count: assembly.agendaCount })}</span>
    </li>
  );
}

export function AssemblyListSection({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const [creating, setCreating] = useState(false);
  const assemblies = useGovernanceQuery(() => api().governance.assemblies({ circleId: circle.id }), circle.id, circle.id);
  return (
    <section className="card" aria-labelledby="circle-assemblies-title">
      <div className="gov-heading">
        <h2 id="circle-assemblies-title">{t('assemblies.title')}</h2>
        {circle.canFacilitate && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            {t('assemblies.create.open')}
          </button>
        )}
      </div>
      {creating && <AssemblyCreateForm circleId={circle.id} schedule={circle.schedule} onCancel={() => setCreating(false)} />}
      <FormError error={assemblies.error} />
      {assemblies.data?.length === 0 && <p className="muted">{t('assemblies.none')}</p>}
      <ul className="gov-rows">
        {(assemblies.data ?? []).map((a) => (
          <AssemblyItem key={a.id} assembly={a} showCircle={false} />
        ))}
      </ul>
    </section>
  );
}

export function AssemblyList() {
  const { t } = useTranslation('governance');
  const [creating, setCreating] = useState(false);
  const assemblies = useGovernanceQuery(() => api().governance.assemblies({}), 'all');
  const circles = useGovernanceQuery(() => api().governance.circles({}), 'circles');
  const facilitated = (circles.data ?? []).filter((c) => c.canFacilitate);
  const groups = (['open', 'planned', 'closed'] as const).map((status) => [status, (assemblies.data ?? []).filter((a) => a.status === status)] as const);
  return (
    <section aria-labelledby="assemblies-title">
      <div className="gov-heading">
        <h1 id="assemblies-title">{t('assemblies.title')}</h1>
        {facilitated.length > 0 && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('assemblies.create.open')}
          </button>
        )}
      </div>
      <p className="muted">{t('assemblies.intro')}</p>
      {creating && <AssemblyCreateForm circles={facilitated} onCancel={() => setCreating(false)} headingLevel={2} />}
      <FormError error={assemblies.error} />
      {assemblies.data?.length === 0 && <p className="muted">{circles.data?.length === 0 ? t('assemblies.noCircles') : t('assemblies.none')}</p>}
      {groups.map(([status, list]) =>
        list.length === 0 ? null : (
          <section key={status} className="card" aria-labelledby={`assemblies-${status}`}>
            <h2 id={`assemblies-${status}`}>{t(`assemblies.group.${status}`)}</h2>
            <ul className="gov-rows">
              {list.map((a) => (
                <AssemblyItem key={a.id} assembly={a} showCircle />
              ))}
            </ul>
          </section>
        ),
      )}
    </section>
  );
}
