// Standing delegation on a circle's page: a member gives their vote in the circle's votes to
// another member until they revoke it (shared/governance/delegation.ts). Only the member
// themself sets or revokes it; every member sees the delegations in force.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleDetail } from '../../../shared/governance/views';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';

export function DelegationSection({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const ids = { heading: useId(), select: useId(), hint: useId() };
  const isMember = circle.members.some((m) => m.member === circle.me);
  const others = circle.members.filter((m) => m.member !== circle.me);
  const [delegate, setDelegate] = useState('');
  const mine = circle.delegations.find((d) => d.member === circle.me);
  if (!isMember && circle.delegations.length === 0) return null;
  return (
    <section className="card gov-delegation" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('delegation.title')}</h2>
      {isMember && !circle.archived && (
        <>
          <p className="hint" id={ids.hint}>
            {t('delegation.hint')}
          </p>
          {mine ? (
            <div className="actions">
              <p>{t('delegation.youDelegate', { name: mine.delegateName })}</p>
              <button
                type="button"
                disabled={action.busy}
                onClick={() => void action.run(() => applyChange({ type: 'circle.delegation.revoke', circle: circle.id, payload: { member: circle.me } }))}
              >
                {t('delegation.revoke')}
              </button>
            </div>
          ) : (
            <form
              className="gov-inline-form"
              aria-label={t('delegation.formLabel')}
              onSubmit={async (e) => {
                e.preventDefault();
                if (!delegate) return;
                if (await action.run(() => applyChange({ type: 'circle.delegation.set', circle: circle.id, payload: { member: circle.me, delegate } }))) setDelegate('');
              }}
            >
              <div className="field">
                <label htmlFor={ids.select}>{t('delegation.to')}</label>
                <select id={ids.select} value={delegate} aria-describedby={ids.hint} onChange={(e) => setDelegate(e.target.value)}>
                  <option value="">{t('delegation.choose')}</option>
                  {others.map((m) => (
                    <option key={m.member} value={m.member}>
                      {m.displayName}
                    </option>
                  ))}
                </select>
              </div>
              <div className="actions">
                <button type="submit" disabled={action.busy || delegate === ''}>
                  {t('delegation.submit')}
                </button>
              </div>
            </form>
          )}
          <FormError error={action.error} />
        </>
      )}
      {circle.delegations.length > 0 ? (
        <ul className="gov-list" aria-label={t('delegation.inForce')}>
          {circle.delegations.map((d) => (
            <li key={d.member}>{t('delegation.entry', { name: d.name, delegate: d.delegateName })}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('delegation.none')}</p>
      )}
    </section>
  );
}
