// The decision archive (#/votes/archive): search votes, outcome statements and assembly
// minutes, filtered by circle, kind, method, status, outcome and date. Results follow the
// typing (after a short pause) and governance changes; each links to its vote or assembly.
// Snippets arrive as plain text segments and are shown as text: nothing in a vote or in
// minutes can become markup here.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute, type Route } from '../store/nav-slice';
import { voteMethods } from '../../../shared/governance/operation-types';
import { archiveQueryMaxLength } from '../../../shared/governance/archive-query';
import type { ArchiveHit, ArchiveSearchInput } from '../../../shared/contract/archive';
import { useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { formatDateTime } from './format';
import './archive.css';

interface ArchiveForm {
  text: string;
  circleId: string;
  kind: '' | 'vote' | 'minutes';
  method: '' | (typeof voteMethods)[number];
  status: '' | 'open' | 'closed';
  outcome: '' | 'recorded' | 'none';
  from: string;
  to: string;
}

const emptyForm: ArchiveForm = { text: '', circleId: '', kind: '', method: '', status: '', outcome: '', from: '', to: '' };
/** The last search, so coming back from a result shows it again. */
let lastForm: ArchiveForm = emptyForm;

/** A date field's value (YYYY-MM-DD) as this computer's local midnight, or that day's last millisecond. */
function dayBound(value: string, end: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0)).getTime();
  return end ? start - 1 : start;
}

export function searchInput(form: ArchiveForm): ArchiveSearchInput {
  const from = dayBound(form.from, false);
  const to = dayBound(form.to, true);
  return {
    text: form.text.trim(),
    ...(form.circleId ? { circleId: form.circleId } : {}),
    ...(form.kind ? { kind: form.kind } : {}),
    ...(form.method ? { method: form.method } : {}),
    ...(form.status ? { status: form.status } : {}),
    ...(form.outcome ? { outcome: form.outcome } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

function hitRoute(hit: ArchiveHit): Route {
  return hit.kind === 'vote' && hit.voteId ? { section: 'votes', params: [hit.circle, hit.voteId] } : { section: 'assemblies', params: [hit.circle, hit.assemblyId ?? ''] };
}

function ArchiveResult({ hit }: { hit: ArchiveHit }) {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const route = hitRoute(hit);
  return (
    <li className="card gov-card archive-hit">
      <h2 className="gov-card-title">
        <a
          href={formatRoute(route)}
          onClick={(e) => {
            e.preventDefault();
            navigate(route);
          }}
        >
          {hit.title}
          {hit.itemTitle ? ` — ${hit.itemTitle}` : ''}
        </a>
      </h2>
      <p className="muted gov-meta">
        <span className="badge">{t(hit.kind === 'vote' ? 'archive.kindVote' : 'archive.kindMinutes')}</span>
        <span>{hit.circleName}</span>
        {hit.method && <span>{t(`methods.${hit.method}`)}</span>}
        {hit.status && <span className={`badge ${hit.status}`}>{t(`voteStatus.${hit.status}`)}</span>}
        {hit.kind === 'vote' && hit.hasOutcome && <span>{t('archive.outcomeRecorded')}</span>}
        <span>{formatDateTime(hit.at, i18n.language)}</span>
      </p>
      {hit.snippet.length > 0 && (
        <p className="archive-snippet">
          {hit.snippet.map((segment, i) => (segment.match ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>))}
        </p>
      )}
    </li>
  );
}

export function ArchiveScreen() {
  const { t } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const [form, setForm] = useState<ArchiveForm>(lastForm);
  // What is searched: the form, once typing pauses (filters apply at once).
  const [searched, setSearched] = useState<ArchiveForm>(lastForm);
  const ids = { title: useId(), text: useId(), hint: useId(), circle: useId(), kind: useId(), method: useId(), status: useId(), outcome: useId(), from: useId(), to: useId() };
  useEffect(() => {
    lastForm = form;
    const timer = window.setTimeout(() => setSearched(form), form.text === searched.text ? 0 : 250);
    return () => window.clearTimeout(timer);
  }, [form, searched.text]);
  const input = searchInput(searched);
  const results = useGovernanceQuery(() => api().archive.search(input), JSON.stringify(input));
  const circles = useGovernanceQuery(() => api().governance.circles({}), 'circles');
  const set = (patch: Partial<ArchiveForm>) => setForm((f) => ({ ...f, ...patch }));
  const votesOnly = form.kind === 'minutes';
  const votesRoute: Route = { section: 'votes', params: [] };

  return (
    <section aria-labelledby={ids.title} className="archive">
      <p>
        <a
          href={formatRoute(votesRoute)}
          onClick={(e) => {
            e.preventDefault();
            navigate(votesRoute);
          }}
        >
          {t('archive.backToVotes')}
        </a>
      </p>
      <h1 id={ids.title}>{t('archive.title')}</h1>
      <form
        role="search"
        aria-labelledby={ids.title}
        onSubmit={(e) => {
          e.preventDefault();
          setSearched(form);
        }}
      >
        <div className="field archive-query">
          <label htmlFor={ids.text}>{t('archive.query')}</label>
          <input
            id={ids.text}
            type="search"
            maxLength={archiveQueryMaxLength}
            aria-describedby={ids.hint}
            value={form.text}
            onChange={(e) => set({ text: e.target.value })}
          />
          <button type="submit" className="primary">
            {t('archive.search')}
          </button>
        </div>
        <p className="muted" id={ids.hint}>
          {t('archive.hint')}
        </p>
        <fieldset className="card gov-filters">
          <legend>{t('archive.filters')}</legend>
          <div className="field">
            <label htmlFor={ids.circle}>{t('archive.circle')}</label>
            <select id={ids.circle} value={form.circleId} onChange={(e) => set({ circleId: e.target.value })}>
              <option value="">{t('archive.allCircles')}</option>
              {(circles.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.kind}>{t('archive.kind')}</label>
            <select id={ids.kind} value={form.kind} onChange={(e) => set({ kind: e.target.value as ArchiveForm['kind'] })}>
              <option value="">{t('archive.allKinds')}</option>
              <option value="vote">{t('archive.kindVotes')}</option>
              <option value="minutes">{t('archive.kindMinutes')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.method}>{t('archive.method')}</label>
            <select id={ids.method} value={form.method} disabled={votesOnly} onChange={(e) => set({ method: e.target.value as ArchiveForm['method'] })}>
              <option value="">{t('archive.allMethods')}</option>
              {voteMethods.map((m) => (
                <option key={m} value={m}>
                  {t(`methods.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.status}>{t('archive.status')}</label>
            <select id={ids.status} value={form.status} disabled={votesOnly} onChange={(e) => set({ status: e.target.value as ArchiveForm['status'] })}>
              <option value="">{t('archive.anyStatus')}</option>
              <option value="open">{t('voteStatus.open')}</option>
              <option value="closed">{t('voteStatus.closed')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.outcome}>{t('archive.outcome')}</label>
            <select id={ids.outcome} value={form.outcome} disabled={votesOnly} onChange={(e) => set({ outcome: e.target.value as ArchiveForm['outcome'] })}>
              <option value="">{t('archive.anyOutcome')}</option>
              <option value="recorded">{t('archive.outcomeRecorded')}</option>
              <option value="none">{t('archive.outcomeNone')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.from}>{t('archive.from')}</label>
            <input id={ids.from} type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} />
            <label htmlFor={ids.to}>{t('archive.to')}</label>
            <input id={ids.to} type="date" value={form.to} onChange={(e) => set({ to: e.target.value })} />
          </div>
          <div className="actions">
            <button type="button" onClick={() => setForm(emptyForm)}>
              {t('archive.clear')}
            </button>
          </div>
        </fieldset>
      </form>
      <FormError error={results.error} />
      <p role="status" className="muted archive-count">
        {results.data === null
          ? ''
          : results.data.hits.length === 0
            ? t('archive.none')
            : results.data.more
              ? t('archive.firstResults', { count: results.data.hits.length })
              : t('archive.results', { count: results.data.hits.length })}
      </p>
      {results.data && results.data.hits.length > 0 && (
        <ol className="gov-cards archive-results" aria-label={t('archive.resultsLabel')}>
          {results.data.hits.map((hit) => (
            <ArchiveResult key={`${hit.kind}/${hit.circle}/${hit.voteId ?? hit.assemblyId}/${hit.itemId ?? ''}`} hit={hit} />
          ))}
        </ol>
      )}
    </section>
  );
}
