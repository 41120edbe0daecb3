// Member standing under the coop's own rules (coop.json "standing"): the member's own on the
// Contributions page, and each member's for the circle's facilitators. Nothing is shown when
// the coop set no rules.
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CircleDetail } from '../../../shared/governance/views';
import type { StandingCheck, StandingResult } from '../../../shared/governance/standing';
import { useGovernanceQuery } from './use-governance';
import { TableScroll } from '../app/table-scroll';

function useCheckText() {
  const { t, i18n } = useTranslation('governance');
  const num = (n: number) => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(n);
  return (check: StandingCheck, allHandsCircle: string): { what: string; short: string | null } => {
    switch (check.rule) {
      case 'circles':
        return { what: t('standing.circles', { count: check.have, need: check.need }), short: check.met ? null : t('standing.circlesShort', { count: check.short }) };
      case 'allHands':
        if (!check.circleFound) return { what: t('standing.allHandsMissing', { circle: allHandsCircle }), short: null };
        return {
          what: t('standing.allHands', { attended: check.attended, meetings: check.meetings, need: check.need }),
          short: check.met ? null : t('standing.allHandsShort', { count: check.short }),
        };
      case 'hours':
        return { what: t('standing.hours', { count: check.months, hours: num(check.hours), need: num(check.need) }), short: check.met ? null : t('standing.hoursShort', { hours: num(check.shortHours) }) };
    }
  };
}

function useAllHandsCircle(): string {
  const coop = useGovernanceQuery(() => api().coop.config({}), 'coop-config');
  return coop.data?.config?.standing?.allHands?.circle ?? '';
}

function StandingList({ standing }: { standing: StandingResult }) {
  const { t } = useTranslation('governance');
  const text = useCheckText();
  const allHands = useAllHandsCircle();
  return (
    <ul className="gov-standing">
      {standing.checks.map((check) => {
        const { what, short } = text(check, allHands);
        return (
          <li key={check.rule} data-met={check.met}>
            <span aria-hidden="true">{check.met ? '✓ ' : '✗ '}</span>
            <span className="visually-hidden">{check.met ? t('standing.met') : t('standing.notMet')}: </span>
            {what}
            {short && <strong className="gov-standing-short"> — {short}</strong>}
          </li>
        );
      })}
    </ul>
  );
}

/** The member's own standing; nothing without the coop's rules. */
export function MyStanding() {
  const { t } = useTranslation('governance');
  const mine = useGovernanceQuery(() => api().standing.mine({}), 'standing-mine');
  if (!mine.data) return null;
  return (
    <section className="card" aria-labelledby="my-standing-title">
      <h2 id="my-standing-title">{t('standing.title')}</h2>
      <p className="muted">{t('standing.intro')}</p>
      <p>
        <strong>{mine.data.standing.inGoodStanding ? t('standing.good') : t('standing.notYet')}</strong>
      </p>
      <StandingList standing={mine.data.standing} />
    </section>
  );
}

/** Each member's standing, for the circle's facilitators. */
export function CircleStanding({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const isFacilitator = circle.members.some((m) => m.member === circle.me && m.role === 'facilitator');
  const all = useGovernanceQuery(() => (isFacilitator ? api().standing.circle({ circleId: circle.id }) : Promise.resolve(null)), `standing-${circle.id}-${isFacilitator}`, circle.id);
  if (!isFacilitator || !all.data || all.data.length === 0) return null;
  return (
    <section aria-labelledby="circle-standing-title">
      <h3 id="circle-standing-title">{t('standing.circleTitle')}</h3>
      <p className="muted">{t('standing.intro')}</p>
      <TableScroll label={t('standing.circleTitle')}>
        <table>
          <caption className="visually-hidden">{t('standing.circleTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('standing.member')}</th>
              <th scope="col">{t('standing.status')}</th>
            </tr>
          </thead>
          <tbody>
            {all.data.map((m) => (
              <tr key={m.member}>
                <th scope="row">{m.displayName}</th>
                <td>
                  <strong>{m.standing.inGoodStanding ? t('standing.good') : t('standing.notYet')}</strong>
                  <StandingList standing={m.standing} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
