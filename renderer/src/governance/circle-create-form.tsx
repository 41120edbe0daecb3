import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { useAction } from './use-governance';
import { FormError } from './form-error';
import { TimeZoneField } from './time-zone-field';
import { localTimeZone } from './format';

/** Starts a circle; whoever starts it is its first facilitator. */
export function CircleCreateForm({ onCancel }: { onCancel?: () => void }) {
  const { t } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const action = useAction();
  const zone = localTimeZone();
  const [form, setForm] = useState({ name: '', purpose: '', timezone: zone, displayName: '', memberTimezone: zone });
  const ids = { name: useId(), purpose: useId(), timezone: useId(), displayName: useId(), memberTimezone: useId(), hint: useId() };
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <form
      className="card gov-form"
      aria-labelledby={`${ids.name}-title`}
      onSubmit={async (e) => {
        e.preventDefault();
        const circle = await action.run(() => api().governance.createCircle(form));
        if (circle) navigate({ section: 'circles', params: [circle.id] });
      }}
    >
      <h2 id={`${ids.name}-title`}>{t('circles.create.title')}</h2>
      <div className="field">
        <label htmlFor={ids.name}>{t('circles.create.name')}</label>
        <input id={ids.name} type="text" required autoFocus={onCancel !== undefined} maxLength={120} value={form.name} onChange={(e) => set('name')(e.target.value)} />
      </div>
      <div className="field stacked">
        <label htmlFor={ids.purpose}>{t('circles.create.purpose')}</label>
        <textarea id={ids.purpose} maxLength={2000} value={form.purpose} onChange={(e) => set('purpose')(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.timezone}>{t('circles.create.timezone')}</label>
        <TimeZoneField id={ids.timezone} value={form.timezone} onChange={set('timezone')} />
      </div>
      <p className="hint" id={ids.hint}>
        {t('circles.create.youHint')}
      </p>
      <div className="field">
        <label htmlFor={ids.displayName}>{t('circles.create.displayName')}</label>
        <input id={ids.displayName} type="text" required maxLength={120} aria-describedby={ids.hint} value={form.displayName} onChange={(e) => set('displayName')(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.memberTimezone}>{t('circles.create.memberTimezone')}</label>
        <TimeZoneField id={ids.memberTimezone} value={form.memberTimezone} onChange={set('memberTimezone')} />
      </div>
      <FormError error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {t('circles.create.submit')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common:cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
