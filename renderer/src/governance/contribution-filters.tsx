import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { valueStreams, type ValueStream } from '../../../shared/governance/operation-types';
import type { CircleSummary, ContributionSummaryRow } from '../../../shared/governance/views';
import { CharCount } from '../forms/char-count';

export interface Filters {
  circleId: string;
  member: string;
  stream: '' | ValueStream;
  from: string;
  to: string;
  tag: string;
  text: string;
}

export const noFilters: Filters = { circleId: '', member: '', stream: '', from: '', to: '', tag: '', text: '' };

/** The filters as call input: empty fields left out. */
export function filterInput(f: Filters) {
  return {
    ...(f.circleId ? { circleId: f.circleId } : {}),
    ...(f.member ? { member: f.member } : {}),
    ...(f.stream ? { stream: f.stream } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.tag.trim() ? { tag: f.tag.trim().toLowerCase() } : {}),
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
  };
}

export function ContributionFilters({ value, onChange, circles, members }: { value: Filters; onChange(f: Filters): void; circles: CircleSummary[]; members: ContributionSummaryRow[] }) {
  const { t } = useTranslation('governance');
  const ids = { circle: useId(), member: useId(), stream: useId(), from: useId(), to: useId(), tag: useId(), text: useId() };
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="card gov-filters">
      <legend>{t('contributions.filters')}</legend>
      <div className="field">
        <label htmlFor={ids.circle}>{t('contributions.circle')}</label>
        <select id={ids.circle} value={value.circleId} onChange={(e) => set({ circleId: e.target.value })}>
          <option value="">{t('contributions.allCircles')}</option>
          {circles.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.member}>{t('contributions.member')}</label>
        <select id={ids.member} value={value.member} onChange={(e) => set({ member: e.target.value })}>
          <option value="">{t('contributions.everyone')}</option>
          {members.map((m) => (
            <option key={m.member} value={m.member}>
              {m.memberName}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.stream}>{t('contributions.stream')}</label>
        <select id={ids.stream} value={value.stream} onChange={(e) => set({ stream: e.target.value as Filters['stream'] })}>
          <option value="">{t('contributions.allStreams')}</option>
          {valueStreams.map((s) => (
            <option key={s} value={s}>
              {t(`streams.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.from}>{t('contributions.from')}</label>
        <input id={ids.from} type="date" value={value.from} onChange={(e) => set({ from: e.target.value })} />
        <label htmlFor={ids.to}>{t('contributions.to')}</label>
        <input id={ids.to} type="date" value={value.to} onChange={(e) => set({ to: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={ids.tag}>{t('contributions.tag')}</label>
        <input id={ids.tag} type="text" maxLength={40} aria-describedby={`${ids.tag}-count`} value={value.tag} onChange={(e) => set({ tag: e.target.value })} />
        <CharCount id={`${ids.tag}-count`} value={value.tag} max={40} />
      </div>
      <div className="field">
        <label htmlFor={ids.text}>{t('contributions.search')}</label>
        <input id={ids.text} type="search" maxLength={100} aria-describedby={`${ids.text}-count`} value={value.text} onChange={(e) => set({ text: e.target.value })} />
        <CharCount id={`${ids.text}-count`} value={value.text} max={100} />
      </div>
      <div className="actions">
        <button type="button" onClick={() => onChange(noFilters)}>
          {t('contributions.clearFilters')}
        </button>
      </div>
    </fieldset>
  );
}
