import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { valueStreams, type ValueStream } from '../../../shared/governance/operation-types';
import type { ContributionView } from '../../../shared/governance/views';
import { applyChange, useAction, useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { filterInput, type Filters } from './contribution-filters';
import { maxTagsText, parseTags } from './contribution-form';
import { formatDate, formatMinutes, todayLocal } from './format';
import { TextField } from '../forms/text-field';
import { TableScroll } from '../app/table-scroll';

const pageSize = 50;

function EditRow({ item, onDone }: { item: ContributionView; onDone(): void }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [draft, setDraft] = useState({ date: item.date, hours: String(Math.floor(item.minutes / 60)), minutes: String(item.minutes % 60), stream: item.stream, description: item.description, tags: item.tags.join(', ') });
  const ids = { date: useId(), hours: useId(), minutes: useId(), stream: useId(), description: useId(), tags: useId() };
  const total = (Number(draft.hours) || 0) * 60 + (Number(draft.minutes) || 0);
  return (
    <tr className="gov-edit-row">
      <td colSpan={7}>
        <form
          className="gov-inline-form"
          aria-label={t('contributions.editNamed', { date: item.date, member: item.memberName })}
          onSubmit={async (e) => {
            e.preventDefault();
            const tags = parseTags(draft.tags);
            const fields = {
              ...(draft.date !== item.date ? { date: draft.date } : {}),
              ...(total !== item.minutes ? { minutes: total } : {}),
              ...(draft.stream !== item.stream ? { stream: draft.stream } : {}),
              ...(draft.description.trim() !== item.description ? { description: draft.description.trim() } : {}),
              ...(tags.join(',') !== item.tags.join(',') ? { tags } : {}),
            };
            if (Object.keys(fields).length === 0) return onDone();
            if (await action.run(() => applyChange({ type: 'contribution.update', circle: item.circle, payload: { contributionId: item.id, fields } }))) onDone();
          }}
        >
          <div className="field">
            <label htmlFor={ids.date}>{t('contributions.date')}</label>
            <input id={ids.date} type="date" required max={todayLocal()} value={draft.date} onChange={(e) => setDraft({ ...draft, date: e.target.value })} />
          </div>
          <fieldset className="gov-duration">
            <legend>{t('contributions.duration')}</legend>
            <label htmlFor={ids.hours}>{t('contributions.hours')}</label>
            <input id={ids.hours} type="number" min={0} max={744} value={draft.hours} onChange={(e) => setDraft({ ...draft, hours: e.target.value })} />
            <label htmlFor={ids.minutes}>{t('contributions.minutes')}</label>
            <input id={ids.minutes} type="number" min={0} max={59} value={draft.minutes} onChange={(e) => setDraft({ ...draft, minutes: e.target.value })} />
          </fieldset>
          <div className="field">
            <label htmlFor={ids.stream}>{t('contributions.stream')}</label>
            <select id={ids.stream} value={draft.stream} onChange={(e) => setDraft({ ...draft, stream: e.target.value as ValueStream })}>
              {valueStreams.map((s) => (
                <option key={s} value={s}>
                  {t(`streams.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField id={ids.description} label={t('contributions.description')} value={draft.description} onChange={(description) => setDraft({ ...draft, description })} max={1000} />
          <TextField id={ids.tags} label={t('contributions.tags')} value={draft.tags} onChange={(tags) => setDraft({ ...draft, tags })} max={maxTagsText} hint={t('contributions.tagsHint')} />
          <FormError error={action.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={action.busy || total <= 0}>
              {t('common:save')}
            </button>
            <button type="button" onClick={onDone}>
              {t('common:cancel')}
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

function Row({ item, onEdit }: { item: ContributionView; onEdit(): void }) {
  const { t, i18n } = useTranslation('governance');
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  return (
    <tr>
      <td>{formatDate(item.date, i18n.language)}</td>
      <th scope="row">{item.memberName}</th>
      <td>{item.circleName}</td>
      <td>
        <span className={`stream-dot stream-${item.stream}`} aria-hidden="true" />
        {t(`streams.${item.stream}`)}
      </td>
      <td className="num">{formatMinutes(item.minutes, i18n.language)}</td>
      <td>
        {item.description}
        {item.tags.length > 0 && <div className="gov-tags">{item.tags.map((tag) => <span key={tag} className="badge soft">{tag}</span>)}</div>}
      </td>
      <td className="gov-row-tools">
        <button type="button" className="link-button" aria-label={t('contributions.editNamed', { date: item.date, member: item.memberName })} onClick={onEdit}>
          {t('common:edit')}
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="link-button danger-text"
              autoFocus
              onClick={() => void action.run(() => applyChange({ type: 'contribution.delete', circle: item.circle, payload: { contributionId: item.id } }))}
            >
              {t('contributions.confirmDelete')}
            </button>
            <button type="button" className="link-button" onClick={() => setConfirming(false)}>
              {t('common:cancel')}
            </button>
          </>
        ) : (
          <button type="button" className="link-button" aria-label={t('contributions.deleteNamed', { date: item.date, member: item.memberName })} onClick={() => setConfirming(true)}>
            {t('common:delete')}
          </button>
        )}
        <FormError error={action.error} />
      </td>
    </tr>
  );
}

export function ContributionLog({ filters }: { filters: Filters }) {
  const { t, i18n } = useTranslation('governance');
  const [pages, setPages] = useState(1);
  const [editing, setEditing] = useState<string | null>(null);
  const key = JSON.stringify(filters) + pages;
  const log = useGovernanceQuery(() => api().governance.contributions({ filter: filterInput(filters), limit: pageSize * pages, offset: 0 }), key, filters.circleId || undefined);
  const page = log.data;
  return (
    <section className="card" aria-labelledby="log-title">
      <h2 id="log-title">{t('contributions.log')}</h2>
      <FormError error={log.error} />
      {page && (
        <p className="muted" aria-live="polite">
          {t('contributions.matching', { count: page.total, time: formatMinutes(page.totalMinutes, i18n.language) })}
        </p>
      )}
      {page && page.items.length > 0 && (
        <div>
          <TableScroll label={t('contributions.log')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('contributions.date')}</th>
                <th scope="col">{t('contributions.member')}</th>
                <th scope="col">{t('contributions.circle')}</th>
                <th scope="col">{t('contributions.stream')}</th>
                <th scope="col" className="num">
                  {t('contributions.duration')}
                </th>
                <th scope="col">{t('contributions.description')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('members.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) =>
                editing === item.id ? <EditRow key={item.id} item={item} onDone={() => setEditing(null)} /> : <Row key={item.id} item={item} onEdit={() => setEditing(item.id)} />,
              )}
            </tbody>
          </table>
          </TableScroll>
        </div>
      )}
      {page && page.items.length < page.total && (
        <div className="actions">
          <button type="button" onClick={() => setPages(pages + 1)}>
            {t('contributions.showMore')}
          </button>
        </div>
      )}
    </section>
  );
}
