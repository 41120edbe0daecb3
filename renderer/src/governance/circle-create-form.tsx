import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { useAction } from './use-governance';
import { FormError } from './form-error';
import { TimeZoneField } from './time-zone-field';
import { localTimeZone } from './format';
import { TextField } from '../forms/text-field';
import { FormActions } from '../forms/form-actions';

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
      <TextField id={ids.name} label={t('circles.create.name')} required autoFocus={onCancel !== undefined} max={120} value={form.name} onChange={set('name')} />
      <TextField id={ids.purpose} label={t('circles.create.purpose')} multiline max={2000} value={form.purpose} onChange={set('purpose')} />
      <div className="field">
        <label htmlFor={ids.timezone}>{t('circles.create.timezone')}</label>
        <TimeZoneField id={ids.timezone} value={form.timezone} onChange={set('timezone')} />
      </div>
      <p className="hint" id={ids.hint}>
        {t('circles.create.youHint')}
      </p>
      <TextField id={ids.displayName} label={t('circles.create.displayName')} required max={120} describedBy={ids.hint} value={form.displayName} onChange={set('displayName')} />
      <div className="field">
        <label htmlFor={ids.memberTimezone}>{t('circles.create.memberTimezone')}</label>
        <TimeZoneField id={ids.memberTimezone} value={form.memberTimezone} onChange={set('memberTimezone')} />
      </div>
      <FormError error={action.error} />
      <FormActions submit={t('circles.create.submit')} busy={action.busy} onCancel={onCancel} />
    </form>
  );
}
