import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleDetail } from '../../../shared/governance/views';
import { newId } from '../../../shared/governance/ids';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { HostRefusalNotice, hostRefusalOf } from '../meetings/host-refusal';
import { TextField } from '../forms/text-field';

export function RoomsSection({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const showError = usePlenary((s) => s.showError);
  const [form, setForm] = useState({ label: '', url: '' });
  const ids = { label: useId(), url: useId() };
  const link = async () => {
    const done = await action.run(() => applyChange({ type: 'circle.room.add', circle: circle.id, payload: { roomId: newId(), label: form.label, url: form.url.trim() } }));
    if (done) setForm({ label: '', url: '' });
  };
  // A link on a server that is not a meeting host: explained, with the browser and (where the member decides) trusting it in one click.
  const refusal = hostRefusalOf(action.error);
  const trustAndLink = async (host: string) => {
    try {
      await api().meetings.trustHost({ host });
      await link();
    } catch (error) {
      showError(error);
    }
  };
  return (
    <section className="card" aria-labelledby="rooms-title">
      <h2 id="rooms-title">{t('rooms.title')}</h2>
      {circle.rooms.length === 0 ? (
        <p className="muted">{t('rooms.none')}</p>
      ) : (
        <ul className="gov-list">
          {circle.rooms.map((room) => (
            <li key={room.roomId}>
              <a href={room.url} target="_blank" rel="noreferrer noopener">
                {room.label}
              </a>{' '}
              <span className="muted gov-id">{room.url}</span>
              {circle.canFacilitate && (
                <button
                  type="button"
                  className="link-button"
                  aria-label={t('rooms.removeNamed', { label: room.label })}
                  onClick={() => void action.run(() => applyChange({ type: 'circle.room.remove', circle: circle.id, payload: { roomId: room.roomId } }))}
                >
                  {t('common:remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {circle.canFacilitate && (
        <form
          className="gov-inline-form"
          aria-label={t('rooms.add')}
          onSubmit={(e) => {
            e.preventDefault();
            void link();
          }}
        >
          <TextField id={ids.label} label={t('rooms.label')} required max={120} value={form.label} onChange={(label) => setForm({ ...form, label })} />
          <TextField id={ids.url} type="url" code label={t('rooms.url')} required max={2000} placeholder={t('rooms.urlPlaceholder')} value={form.url} onChange={(url) => setForm({ ...form, url })} />
          {refusal ? <HostRefusalNotice refusal={refusal} onTrust={() => void trustAndLink(refusal.origin)} /> : <FormError error={action.error} />}
          <div className="actions">
            <button type="submit">{t('rooms.addSubmit')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
