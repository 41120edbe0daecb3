// Files a circle keeps: contributions as CSV (RFC 4180), an assembly's minutes and a vote's
// results as Markdown. Built in the core so every shell exports the same bytes; the
// renderer only offers them as downloads.
import { elementSlotText, readSlot } from '../../../shared/governance/time-poll';
import type { Locale } from '../../../shared/locales';
import type { ConsentPosition, VoteMethod } from '../../../shared/governance/operation-types';
import type { AssemblyDetail, ContributionView, ExportFile, VoteDetail, VoteSummary } from '../../../shared/governance/views';
import { exportTranslator, type ExportTranslate } from './export-text';
import { neutraliseHtml } from './markdown-safety';

// --- CSV -------------------------------------------------------------------------------

/**
 * A whole Matrix user id (@localpart:server, spec "User identifiers": the localpart's
 * characters, a host name or IP literal and an optional port). It starts with "@" but
 * cannot carry a formula: no spaces, parentheses, quotes, "!" or "|" fit the grammar.
 */
const matrixUserId = /^@[A-Za-z0-9._=\-/+]+:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** What an empty cell shows, so a reader sees "nothing" rather than a gap. */
export const emptyCell = '—';

/**
 * One CSV cell. Text a spreadsheet would run as a formula (starting with = + - @, or a tab
 * or carriage return) gets a leading apostrophe (OWASP "CSV injection"), except a Matrix
 * user id, which stays as it is so it can be matched and pasted; then cells with a comma,
 * quote or line break are quoted, quotes doubled (RFC 4180 section 2). Empty text is "—".
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && text === '') text = emptyCell;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !matrixUserId.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export function contributionsCsv(items: readonly ContributionView[], locale: Locale): ExportFile {
  const t = exportTranslator(locale);
  const header = csvLine([
    t('governance:export.csv.date'),
    t('governance:export.csv.member'),
    t('governance:export.csv.memberId'),
    t('governance:export.csv.circle'),
    t('governance:export.csv.stream'),
    t('governance:export.csv.minutes'),
    t('governance:export.csv.hours'),
    t('governance:export.csv.description'),
    t('governance:export.csv.tags'),
  ]);
  const body = items.map((c) =>
    csvLine([c.date, c.memberName, c.member, c.circleName, t(`governance:streams.${c.stream}`), c.minutes, (c.minutes / 60).toFixed(2), c.description, c.tags.join(', ')]),
  );
  return { filename: 'contributions.csv', mimeType: 'text/csv;charset=utf-8', text: header + body.join('') };
}

// --- Markdown --------------------------------------------------------------------------

/** Text placed inline in Markdown: one line, with Markdown's special characters escaped. */
export function mdInline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>|#~])/g, '\\$1');
}

function slug(text: string): string {
  const base = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return base || 'plenary';
}

/** A moment as the circle reads it, with the zone named, so the record is unambiguous anywhere. */
function formatInstant(ms: number, locale: Locale, timeZone: string): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(ms))} (${timeZone})`;
}

/** The day of a moment in the circle's zone, YYYY-MM-DD (for file names). */
function dayIn(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(new Date(ms));
}

function methodName(t: ExportTranslate, method: VoteMethod): string {
  return t(`governance:methods.${method}`);
}

/** A ballot's choice in words, by the vote's option labels. */
export function describeChoice(t: ExportTranslate, vote: Pick<VoteSummary, 'method' | 'options'>, choice: unknown): string {
  const label = (id: unknown) => vote.options.find((o) => o.id === id)?.label ?? String(id);
  if (vote.method === 'consent' && typeof choice === 'string') return t(`governance:consent.${choice as ConsentPosition}`);
  if (typeof choice === 'string') return label(choice);
  if (Array.isArray(choice)) {
    return vote.method.startsWith('ranked') ? choice.map((id, i) => `${i + 1}. ${label(id)}`).join(', ') : choice.map(label).join(', ');
  }
  if (choice && typeof choice === 'object') return Object.entries(choice).map(([id, score]) => `${label(id)} ${String(score)}`).join(', ');
  return String(choice);
}

/** The results of a vote as Markdown lines: quorum, outcome or winners, a table per method. */
export function voteResultsLines(t: ExportTranslate, vote: VoteSummary): string[] {
  const r = vote.results;
  const lines: string[] = [];
  const label = (id: string) => mdInline(vote.options.find((o) => o.id === id)?.label ?? id);
  lines.push(`- ${t('governance:export.method')}: ${methodName(t, vote.method)}`);
  lines.push(
    `- ${t('governance:export.quorum')}: ${t(
      r.quorum.basis === 'present'
        ? r.quorum.met
          ? 'governance:export.quorumMetPresent'
          : 'governance:export.quorumNotMetPresent'
        : r.quorum.met
          ? 'governance:export.quorumMet'
          : 'governance:export.quorumNotMet',
      {
      percent: r.quorum.percent,
      required: r.quorum.required,
      electorate: r.quorum.electorate,
      turnout: r.quorum.turnout,
    })}`,
  );
  lines.push(`- ${t('governance:export.status')}: ${t(`governance:voteStatus.${vote.status}`)}`);
  if (r.consent) {
    lines.push(`- ${t('governance:export.result')}: **${t(`governance:consentOutcome.${r.consent.outcome}`)}**`);
  } else if (vote.status === 'closed' && !r.quorum.met) {
    // A closed vote that missed its quorum has no result, whoever had the most votes.
    lines.push(`- ${t('governance:export.result')}: **${t('governance:export.noResultQuorum')}**`);
  } else if (r.winners.length === 1) {
    lines.push(`- ${t('governance:export.result')}: **${label(r.winners[0]!)}**`);
  } else if (r.winners.length > 1) {
    lines.push(`- ${t('governance:export.result')}: ${t('governance:export.tie', { options: r.winners.map(label).join(', ') })}`);
  } else {
    lines.push(`- ${t('governance:export.result')}: ${t('governance:export.noVotes')}`);
  }
  lines.push('');
  if (r.consent) {
    lines.push(`| ${t('governance:export.position')} | ${t('governance:export.count')} |`, '| --- | ---: |');
    for (const position of ['agree', 'abstain', 'object', 'block'] as const) lines.push(`| ${t(`governance:consent.${position}`)} | ${r.consent.positions[position]} |`);
  } else {
    const pointsHeader = vote.method === 'ranked-borda' ? t('governance:export.points') : vote.method === 'score' ? t('governance:export.scoreTotal') : null;
    const votesHeader = vote.method === 'ranked-irv' || vote.method === 'ranked-borda' ? t('governance:export.firstPreferences') : t('governance:export.votes');
    const headers = [t('governance:export.option'), ...(vote.method === 'score' ? [] : [votesHeader]), ...(pointsHeader ? [pointsHeader] : []), ...(vote.method === 'score' ? [t('governance:export.average')] : [])];
    lines.push(`| ${headers.join(' | ')} |`, `| --- |${' ---: |'.repeat(headers.length - 1)}`);
    for (const o of r.options) {
      const cells = [
        label(o.id),
        ...(vote.method === 'score' ? [] : [String(o.votes)]),
        ...(pointsHeader ? [String(o.points)] : []),
        ...(vote.method === 'score' ? [((o.averageHundredths ?? 0) / 100).toFixed(2)] : []),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    if (vote.method === 'counted') lines.push(`| ${t('governance:consent.abstain')} | ${r.abstain} |`);
  }
  if (r.irv && r.irv.length > 0) {
    lines.push('', `**${t('governance:export.rounds')}**`, '');
    r.irv.forEach((round, i) => {
      const counts = Object.entries(round.counts)
        .map(([id, c]) => `${label(id)} ${c}`)
        .join(', ');
      const eliminated = round.eliminated.length > 0 ? ` — ${t('governance:export.eliminated', { options: round.eliminated.map(label).join(', ') })}` : '';
      lines.push(`${i + 1}. ${counts}${eliminated}`);
    });
  }
  if (r.consent && r.consent.concerns.length > 0) {
    lines.push('', `**${t('governance:export.concerns')}**`, '');
    for (const c of r.consent.concerns) lines.push(`- ${mdInline(c.voter)} (${t(`governance:consent.${c.position}`)})${c.reason ? `: ${mdInline(c.reason)}` : ''}`);
  }
  if (r.spoiled.length > 0) lines.push('', t('governance:export.spoiled', { count: r.spoiled.length }));
  if (r.notMembers.length > 0) lines.push('', t('governance:export.notMembers', { count: r.notMembers.length }));
  if (vote.outcome.trim()) lines.push('', `**${t('governance:export.outcome')}:** ${mdInline(vote.outcome)}`);
  if (vote.reviewOn) lines.push('', t('governance:voteReminders.reviewOn', { date: vote.reviewOn }));
  return lines;
}

function withNames(vote: VoteSummary, names: Map<string, string>): VoteSummary {
  if (!vote.results.consent) return vote;
  const concerns = vote.results.consent.concerns.map((c) => ({ ...c, voter: names.get(c.voter) ?? c.voter }));
  return { ...vote, results: { ...vote.results, consent: { ...vote.results.consent, concerns } } };
}

/** A time poll's slots as readable times in UTC and the export's zone (other votes unchanged). */
function withSlotTimes<V extends VoteSummary>(vote: V, timeZone: string): V {
  if (vote.method !== 'time') return vote;
  const relabel = <O extends { label: string }>(o: O): O => {
    const read = readSlot(o.label);
    return read.ok ? { ...o, label: elementSlotText(read.slot, timeZone) } : o;
  };
  return { ...vote, options: vote.options.map(relabel), results: { ...vote.results, options: vote.results.options.map(relabel) } };
}

export function voteResultsMarkdown(original: VoteDetail, locale: Locale, timeZone: string): ExportFile {
  const vote = withSlotTimes(original, timeZone);
  const t = exportTranslator(locale);
  const names = new Map(vote.members.map((m) => [m.member, m.displayName]));
  const lines = [`# ${mdInline(vote.question)}`, '', `**${mdInline(vote.circleName)}**`];
  if (vote.closedAt !== null) lines.push('', t('governance:export.closedAt', { time: formatInstant(vote.closedAt, locale, timeZone) }));
  if (vote.details.trim()) lines.push('', neutraliseHtml(vote.details.trim()));
  lines.push('', `## ${t('governance:export.results')}`, '', ...voteResultsLines(t, withNames(vote, names)));
  const counted = vote.ballots.filter((b) => b.state === 'counted' || b.state === 'spoiled');
  if (counted.length > 0) {
    lines.push('', `## ${t('governance:export.ballots')}`, '', `| ${t('governance:export.voter')} | ${t('governance:export.choice')} | ${t('governance:export.reason')} |`, '| --- | --- | --- |');
    for (const b of counted) {
      const holder = b.proxyName !== null ? ` ${t('governance:export.proxyHeldBy', { name: mdInline(b.proxyName) })}` : '';
      const proxy = holder + (b.actor !== b.voter ? ` ${t('governance:export.proxyBy', { name: mdInline(b.actorName) })}` : '');
      const choice = b.state === 'spoiled' ? t('governance:export.spoiledBallot') : mdInline(describeChoice(t, vote, b.choice));
      lines.push(`| ${mdInline(b.voterName)}${proxy} | ${choice} | ${b.reason ? mdInline(b.reason) : ''} |`);
    }
  }
  return { filename: `vote-${slug(vote.question)}.md`, mimeType: 'text/markdown;charset=utf-8', text: lines.join('\n') + '\n' };
}

export function minutesMarkdown(assembly: AssemblyDetail, locale: Locale, timeZone: string): ExportFile {
  const t = exportTranslator(locale);
  const names = new Map(assembly.members.map((m) => [m.member, m.displayName]));
  const when = assembly.openedAt ?? assembly.scheduledAt;
  const lines = [`# ${mdInline(assembly.title)}`, ''];
  lines.push(`**${mdInline(assembly.circleName)}**${when !== null ? ` · ${formatInstant(when, locale, timeZone)}` : ''} · ${t(`governance:assemblyStatus.${assembly.status}`)}`);
  if (assembly.closedAt !== null) lines.push('', t('governance:export.closedAt', { time: formatInstant(assembly.closedAt, locale, timeZone) }));

  lines.push('', `## ${t('governance:export.attendance')}`, '');
  for (const status of ['present', 'apologies', 'absent'] as const) {
    const people = assembly.attendance.filter((a) => a.status === status).map((a) => mdInline(a.displayName));
    lines.push(`- **${t(`governance:attendance.${status}`)}** (${people.length}): ${people.length > 0 ? people.join(', ') : t('governance:export.nobody')}`);
  }
  const unrecorded = assembly.attendance.filter((a) => a.status === null).map((a) => mdInline(a.displayName));
  if (unrecorded.length > 0) lines.push(`- **${t('governance:attendance.unrecorded')}** (${unrecorded.length}): ${unrecorded.join(', ')}`);

  const votes = new Map(assembly.votes.map((v) => [v.id, withNames(v, names)]));
  const linked = new Set<string>();
  lines.push('', `## ${t('governance:export.agenda')}`);
  assembly.agenda.forEach((item, index) => {
    lines.push('', `### ${index + 1}. ${mdInline(item.title)}`, '');
    lines.push(item.minutes.trim() ? neutraliseHtml(item.minutes.trim()) : `_${t('governance:export.noMinutes')}_`);
    const itemVotes = [...new Set([...item.decisions, ...assembly.votes.filter((v) => v.itemId === item.itemId).map((v) => v.id)])];
    for (const voteId of itemVotes) {
      const vote = votes.get(voteId);
      if (!vote) continue;
      linked.add(voteId);
      lines.push('', `#### ${t('governance:export.decision')}: ${mdInline(vote.question)}`, '', ...voteResultsLines(t, vote));
    }
  });
  const actions = assembly.actions;
  if (actions.length > 0) {
    lines.push('', `## ${t('governance:export.actions')}`, '');
    for (const a of actions) {
      const due = a.due ? `, ${t('governance:export.due', { date: a.due })}` : '';
      lines.push(`- [${a.done ? 'x' : ' '}] ${mdInline(a.text)} — **${mdInline(a.ownerName)}**${due}`);
    }
  }
  const others = assembly.votes.filter((v) => !linked.has(v.id));
  if (others.length > 0) {
    lines.push('', `## ${t('governance:export.otherVotes')}`);
    for (const vote of others) lines.push('', `### ${mdInline(vote.question)}`, '', ...voteResultsLines(t, votes.get(vote.id)!));
  }
  if (assembly.recordings.length > 0) {
    lines.push('', `## ${t('governance:export.recordings')}`, '');
    for (const r of assembly.recordings) lines.push(`- [${mdInline(r.label)}](<${r.url.replace(/[<>\s]/g, encodeURIComponent)}>)`);
  }
  const date = when !== null ? dayIn(when, timeZone) + '-' : '';
  return { filename: `minutes-${date}${slug(assembly.title)}.md`, mimeType: 'text/markdown;charset=utf-8', text: lines.join('\n') + '\n' };
}
