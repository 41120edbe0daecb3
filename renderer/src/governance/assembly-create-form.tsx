import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import type { CircleSummary } from '../../../shared/governance/views';
import type { Schedule } from '../../../shared/governance/operation-types';
import { nextOccurrences } from '../../../shared/schedule/schedule';
import { usePlenary } from '../store';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { fromDateTimeLocal, toDateTimeLocal } from './format';
import { TextField } from '../forms/text-field';
import { CirclePicker } from '../forms/circle-picker';
import { FormActions } from '../forms/form-actions';

/** The circle's next regular meeting as a datetime-local value, or '' when it has none. */
function nextMeeting(schedule: Schedule | null | undefined): string {
  const [next] = schedule ? nextOccurrences(schedule, Date.now(), 1) : [];
  return next === undefined ? '' : toDateTimeLocal(next);
}

/**
 * Plans an assembly; the facilitator lands in assembly mode to prepare its agenda. The date
 * starts at the circle's next regular meeting (until the facilitator changes it).
 */
export function AssemblyCreateForm({
  circles,
  circleId,
  schedule,
  onCancel,
  headingLevel = 3,
}: {
  circles?: CircleSummary[];
  circleId?: string;
  /** The circle's schedule, when the form is for one circle (circleId). */
  schedule?: Schedule | null;
  onCancel(): void;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const { t } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const action = useAction();
  const [circle, setCircle] = useState(circleId ?? circles?.[0]?.id ?? '');
  const [title, setTitle] = useState('');
  const [typedWhen, setWhen] = useState<string | null>(null);
  const when = typedWhen ?? nextMeeting(circleId ? schedule : circles?.find((c) => c.id === circle)?.schedule);
  const ids = { title: useId(), when: useId() };
  return (
    <form
      className="card gov-form"
      aria-label={t('assemblies.create.title')}
      onSubmit={async (e) => {
        e.preventDefault();
        const assemblyId = newId();
        const scheduledAt = fromDateTimeLocal(when);
        const done = await action.run(() =>
          applyChange({ type: 'assembly.create', circle, payload: { assemblyId, title, ...(scheduledAt !== null ? { scheduledAt } : {}) } }),
        );
        if (done) navigate({ section: 'assemblies', params: [circle, assemblyId] });
      }}
    >
      <Heading>{t('assemblies.create.title')}</Heading>
      {circles && !circleId && <CirclePicker circles={circles} value={circle} onChange={setCircle} label={t('voteForm.circle')} />}
      <TextField id={ids.title} label={t('assemblies.create.name')} required autoFocus max={200} value={title} onChange={setTitle} />
      <div className="field">
        <label htmlFor={ids.when}>{t('assemblies.create.when')}</label>
        <input id={ids.when} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
      </div>
      <FormError error={action.error} />
      <FormActions submit={t('assemblies.create.submit')} busy={action.busy} disabled={!circle} onCancel={onCancel} />
    </form>
  );
}
