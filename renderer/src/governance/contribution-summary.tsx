// Summaries of logged work per member, circle, value stream or month, split by value
// stream: a stacked bar chart (SVG) and the same figures as a table for screen readers and
// for reading exact numbers. Built from the core's running totals, so it stays instant.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { valueStreams, type ValueStream } from '../../../shared/governance/operation-types';
import type { ContributionSummaryRow, SummaryDimension } from '../../../shared/governance/views';
import { useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import type { Filters } from './contribution-filters';
import { formatMinutes, formatMonth } from './format';
import { TableScroll } from '../app/table-scroll';

type Group = Exclude<SummaryDimension, 'stream'> | 'stream';

interface Line {
  key: string;
  label: string;
  byStream: Record<ValueStream, number>;
  total: number;
}

function toLines(rows: ContributionSummaryRow[], group: Group, locale: string, streamName: (s: ValueStream) => string): Line[] {
  const lines = new Map<string, Line>();
  for (const row of rows) {
    const key = String(row[group] ?? '');
    const label =
      group === 'member' ? (row.memberName ?? key) : group === 'circle' ? (row.circleName ?? key) : group === 'month' ? formatMonth(key, locale) : streamName(key as ValueStream);
    const line = lines.get(key) ?? { key, label, byStream: { livelihood: 0, care: 0, commons: 0 }, total: 0 };
    line.byStream[row.stream!] += row.minutes;
    line.total += row.minutes;
    lines.set(key, line);
  }
  const list = [...lines.values()];
  return group === 'month' ? list.sort((a, b) => a.key.localeCompare(b.key)) : list.sort((a, b) => b.total - a.total);
}

function Chart({ lines, titleId, descriptionId }: { lines: Line[]; titleId: string; descriptionId: string }) {
  const { t } = useTranslation('governance');
  const max = Math.max(1, ...lines.map((l) => l.total));
  const rowHeight = 26;
  const labelWidth = 160;
  const width = 640;
  const height = lines.length * rowHeight + 8;
  return (
    <svg className="gov-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} aria-describedby={descriptionId} focusable="false">
      <title id={titleId}>{t('summary.chartTitle')}</title>
      <desc id={descriptionId}>{t('summary.chartDescription')}</desc>
      {lines.map((line, i) => {
        let x = labelWidth;
        const y = i * rowHeight + 4;
        return (
          <g key={line.key}>
            <text x={labelWidth - 8} y={y + rowHeight / 2 + 1} className="gov-chart-label" textAnchor="end" dominantBaseline="middle">
              {line.label.length > 22 ? `${line.label.slice(0, 21)}…` : line.label}
            </text>
            {valueStreams.map((stream) => {
              const w = (line.byStream[stream] / max) * (width - labelWidth - 8);
              const rect = w > 0 ? <rect key={stream} className={`stream-${stream}`} x={x} y={y + 3} width={w} height={rowHeight - 8} rx={2} /> : null;
              x += w;
              return rect;
            })}
          </g>
        );
      })}
    </svg>
  );
}

export function ContributionSummary({ filters }: { filters: Filters }) {
  const { t, i18n } = useTranslation('governance');
  const [group, setGroup] = useState<Group>('member');
  const ids = { group: useId(), title: useId(), chartTitle: useId(), chartDescription: useId() };
  const filter = {
    ...(filters.circleId ? { circleId: filters.circleId } : {}),
    ...(filters.member ? { member: filters.member } : {}),
    ...(filters.stream ? { stream: filters.stream } : {}),
    ...(filters.from ? { fromMonth: filters.from.slice(0, 7) } : {}),
    ...(filters.to ? { toMonth: filters.to.slice(0, 7) } : {}),
  };
  const groupBy: SummaryDimension[] = group === 'stream' ? ['stream'] : [group, 'stream'];
  const summary = useGovernanceQuery(() => api().governance.contributionSummary({ groupBy, filter }), JSON.stringify([groupBy, filter]));
  const lines = summary.data ? toLines(summary.data, group, i18n.language, (s) => t(`streams.${s}`)) : [];
  const totals = valueStreams.map((s) => lines.reduce((sum, l) => sum + l.byStream[s], 0));
  return (
    <section className="card" aria-labelledby={ids.title}>
      <div className="gov-heading">
        <h2 id={ids.title}>{t('summary.title')}</h2>
        <div className="field">
          <label htmlFor={ids.group}>{t('summary.groupBy')}</label>
          <select id={ids.group} value={group} onChange={(e) => setGroup(e.target.value as Group)}>
            {(['member', 'circle', 'stream', 'month'] as const).map((g) => (
              <option key={g} value={g}>
                {t(`summary.by.${g}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {/* Summaries come from running totals by member, stream and month: every filter they cannot apply is named. */}
      {filters.from || filters.to ? <p className="hint">{t('summary.monthsNote')}</p> : null}
      {filters.tag.trim() ? <p className="hint">{t('summary.tagNotApplied')}</p> : null}
      {filters.text.trim() ? <p className="hint">{t('summary.textNotApplied')}</p> : null}
      <FormError error={summary.error} />
      {summary.data && lines.length === 0 && <p className="muted">{t('summary.empty')}</p>}
      {lines.length > 0 && (
        <>
          <ul className="gov-legend" aria-hidden="true">
            {valueStreams.map((s) => (
              <li key={s}>
                <span className={`stream-dot stream-${s}`} />
                {t(`streams.${s}`)}
              </li>
            ))}
          </ul>
          <Chart lines={lines} titleId={ids.chartTitle} descriptionId={ids.chartDescription} />
          <div>
            <TableScroll label={t('summary.tableCaption')}>
            <table>
              <caption className="gov-caption">{t('summary.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`summary.by.${group}`)}</th>
                  {valueStreams.map((s) => (
                    <th scope="col" key={s} className="num">
                      {t(`streams.${s}`)}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    {t('summary.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line) => (
                  <tr key={line.key}>
                    <th scope="row">{line.label}</th>
                    {valueStreams.map((s) => (
                      <td key={s} className="num">
                        {line.byStream[s] > 0 ? formatMinutes(line.byStream[s], i18n.language) : t('summary.none')}
                      </td>
                    ))}
                    <td className="num">{formatMinutes(line.total, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('summary.total')}</th>
                  {totals.map((total, i) => (
                    <td key={valueStreams[i]} className="num">
                      {total > 0 ? formatMinutes(total, i18n.language) : t('summary.none')}
                    </td>
                  ))}
                  <td className="num">{formatMinutes(totals.reduce((a, b) => a + b, 0), i18n.language)}</td>
                </tr>
              </tfoot>
            </table>
            </TableScroll>
          </div>
        </>
      )}
    </section>
  );
}
