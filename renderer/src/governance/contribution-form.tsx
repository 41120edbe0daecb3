// Logging work: who, when, how long (hours and minutes, stored as whole minutes), which
// value stream, what. Members log their own; facilitators may log for anyone (quick entry
// during an assembly).
import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import { valueStreams, type ValueStream } from '../../../shared/governance/operation-types';
import type { CircleSummary, MemberView } from '../../../shared/governance/views';
import { usePlenary } from '../store';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { todayLocal } from './format';
import { TextField } from '../forms/text-field';
import { CirclePicker } from '../forms/circle-picker';
import { FormActions } from '../forms/form-actions';

/** Tags as typed: up to 10 of up to 40 characters, with their commas and spaces. */
export const maxTagsText = 10 * 40 + 9 * 2;

interface Props {
  circleId?: string;
  circles?: CircleSummary[];
  /** Members of the fixed circle (quick entry). */
  members?: MemberView[];
  canLogForOthers: boolean;
  title: string;
  headingLevel?: 2 | 3;
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean))].slice(0, 10);
}

const sameMembers = (a: MemberView[] | undefined, b: MemberView[] | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((m, i) => m.member === b[i]!.member && m.displayName === b[i]!.displayName));

/** Re-rendered when what it shows changes, not with every reload of the page around it. */
export const ContributionForm = memo(function ContributionForm({ circleId, circles, members, canLogForOthers, title, headingLevel = 2 }: Props) {
  const { t } = useTranslation('governance');
  const me = usePlenary((s) => s.info?.localActor ?? '');
  const action = useAction();
  const [circle, setCircle] = useState(circleId ?? circles?.[0]?.id ?? '');
  const [member, setMember] = useState(me);
  const [date, setDate] = useState(todayLocal());
  const [hours, setHours] = useState('');
  const [minutes, setMinutes] = useState('');
  const [stream, setStream] = useState<ValueStream>('commons');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [saved, setSaved] = useState(false);
  const ids = { member: useId(), date: useId(), hours: useId(), minutes: useId(), stream: useId(), description: useId(), tags: useId(), tagsHint: useId() };
  const total = (Number(hours) || 0) * 60 + (Number(minutes) || 0);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const people = members ?? [];

  return (
    <form
      className="card gov-form gov-contribution-form"
      aria-label={title}
      onSubmit={async (e) => {
        e.preventDefault();
        setSaved(false);
        const payload = { contributionId: newId(), member, date, minutes: total, stream, description: description.trim(), tags: parseTags(tags) };
        if (await action.run(() => applyChange({ type: 'contribution.create', circle, payload }))) {
          setHours('');
          setMinutes('');
          setDescription('');
          setTags('');
          setSaved(true);
        }
      }}
    >
      <Heading>{title}</Heading>
      {circles && !circleId && <CirclePicker circles={circles} value={circle} onChange={setCircle} label={t('contributions.circle')} />}
      {canLogForOthers && people.length > 0 && (
        <div className="field">
          <label htmlFor={ids.member}>{t('contributions.member')}</label>
          <select id={ids.member} value={member} onChange={(e) => setMember(e.target.value)}>
            {!people.some((p) => p.member === me) && <option value={me}>{t('ballot.you')}</option>}
            {people.map((p) => (
              <option key={p.member} value={p.member}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.date}>{t('contributions.date')}</label>
        <input id={ids.date} type="date" required max={todayLocal()} value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      <fieldset className="gov-duration">
        <legend>{t('contributions.duration')}</legend>
        <label htmlFor={ids.hours}>{t('contributions.hours')}</label>
        <input id={ids.hours} type="number" min={0} max={744} step={1} inputMode="numeric" value={hours} onChange={(e) => setHours(e.target.value)} />
        <label htmlFor={ids.minutes}>{t('contributions.minutes')}</label>
        <input id={ids.minutes} type="number" min={0} max={59} step={1} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </fieldset>
      <div className="field">
        <label htmlFor={ids.stream}>{t('contributions.stream')}</label>
        <select id={ids.stream} value={stream} onChange={(e) => setStream(e.target.value as ValueStream)}>
          {valueStreams.map((s) => (
            <option key={s} value={s}>
              {t(`streams.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <TextField id={ids.description} label={t('contributions.description')} value={description} onChange={setDescription} max={1000} />
      <TextField id={ids.tags} label={t('contributions.tags')} value={tags} onChange={setTags} max={maxTagsText} hint={t('contributions.tagsHint')} />
      <FormError error={action.error} />
      {saved && (
        <p className="gov-saved" role="status">
          {t('contributions.saved')}
        </p>
      )}
      <FormActions submit={t('contributions.log')} busy={action.busy} disabled={total <= 0 || !circle} />
    </form>
  );
}, (a, b) => a.circleId === b.circleId && a.circles === b.circles && sameMembers(a.members, b.members) && a.canLogForOthers === b.canLogForOthers && a.title === b.title && a.headingLevel === b.headingLevel);
