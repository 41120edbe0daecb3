import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleDetail } from '../../../shared/governance/views';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';

/** Archiving makes a circle read-only for good, so it asks once more. */
export function ArchiveCircle({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card gov-danger" aria-labelledby="archive-title">
      <h2 id="archive-title">{t('circles.archive.title')}</h2>
      <p className="muted">{t('circles.archive.explain')}</p>
      <FormError error={action.error} />
      {confirming ? (
        <div className="actions">
          <button type="button" className="danger" onClick={() => void action.run(() => applyChange({ type: 'circle.archive', circle: circle.id, payload: {} }))}>
            {t('circles.archive.confirm', { name: circle.name })}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('common:cancel')}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('circles.archive.button')}
        </button>
      )}
    </section>
  );
}
