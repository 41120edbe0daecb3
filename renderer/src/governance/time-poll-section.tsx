// A time poll on its vote page: the slots read on the member's own clock (their time zone in
// the circle, else this computer's), and once the poll is closed a facilitator chooses the
// slot that becomes the circle's meeting (shown on Today with Join like any other).
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSlot, readSlot } from '../../../shared/governance/time-poll';
import type { VoteOption } from '../../../shared/governance/operation-types';
import { dateLocale } from '../meetings/format';
import { localTimeZone } from './format';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';

interface TimePollVote {
  method: string;
  options: VoteOption[];
  results?: { options: { id: string; label: string; votes: number }[] };
  me: string;
  members: { member: string; timezone: string }[];
}

/** The zone a member reads times in: theirs in the circle, else this computer's. */
export function memberZone(vote: { me: string; members: { member: string; timezone: string }[] }): string {
  return vote.members.find((m) => m.member === vote.me)?.timezone ?? localTimeZone();
}

/** The vote with a time poll's slots labelled on the member's clock, in their language (other votes unchanged). */
export function useSlotLabels<T extends TimePollVote>(vote: T | null | undefined): T | null | undefined {
  const { i18n } = useTranslation();
  return useMemo(() => {
    if (!vote || vote.method !== 'time') return vote;
    const zone = memberZone(vote);
    const locale = dateLocale(i18n.language);
    const relabel = <O extends { label: string }>(o: O): O => {
      const read = readSlot(o.label);
      return read.ok ? { ...o, label: formatSlot(read.slot, locale, zone) } : o;
    };
    // The results carry the labels too (the bars and the winner read them).
    const results = vote.results && Array.isArray(vote.results.options) ? { ...vote.results, options: vote.results.options.map(relabel) } : vote.results;
    return { ...vote, options: vote.options.map(relabel), results };
  }, [vote, i18n.language]);
}

interface Props {
  circleId: string;
  vote: TimePollVote & {
    id: string;
    status: 'open' | 'closed';
    canFacilitate: boolean;
    chosenOption?: string | null;
    resultsHidden: boolean;
  };
}

export function TimePollSection({ circleId, vote }: Props) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const ids = { heading: useId(), pick: useId() };
  const counts = new Map((vote.results?.options ?? []).map((o) => [o.id, o.votes]));
  const best = [...vote.options].sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0))[0]?.id ?? '';
  const [picked, setPicked] = useState(best);
  const chosen = vote.chosenOption ? vote.options.find((o) => o.id === vote.chosenOption) : undefined;
  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('timePolls.title')}</h2>
      <p className="hint">{t('timePolls.yourZone', { zone: memberZone(vote) })}</p>
      {chosen && <p className="gov-chosen-slot">{t('timePolls.chosen', { slot: chosen.label })}</p>}
      {!chosen && vote.status === 'open' && <p className="muted">{t('timePolls.chooseAfterClose')}</p>}
      {!chosen && vote.status === 'closed' && vote.canFacilitate && (
        <form
          className="gov-form"
          onSubmit={async (e) => {
            e.preventDefault();
            await action.run(() => applyChange({ type: 'vote.update', circle: circleId, payload: { voteId: vote.id, fields: { chosenOption: picked } } }));
          }}
        >
          <div className="field">
            <label htmlFor={ids.pick}>{t('timePolls.pick')}</label>
            <select id={ids.pick} value={picked} onChange={(e) => setPicked(e.target.value)}>
              {vote.options.map((o) => (
                <option key={o.id} value={o.id}>
                  {vote.resultsHidden ? o.label : t('timePolls.slotWithCount', { slot: o.label, count: counts.get(o.id) ?? 0 })}
                </option>
              ))}
            </select>
          </div>
          <FormError error={action.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={action.busy || !picked}>
              {t('timePolls.makeMeeting')}
            </button>
          </div>
        </form>
      )}
      {!chosen && vote.status === 'closed' && !vote.canFacilitate && <p className="muted">{t('timePolls.waitingForChoice')}</p>}
    </section>
  );
}
