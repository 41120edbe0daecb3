// Action items agreed in an assembly: what, who and by when. A facilitator adds them while
// the assembly is in session; the owner (or a facilitator) ticks them off, then or later.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import { maxActionText } from '../../../shared/governance/text-limits';
import type { ActionItemView, AssemblyDetail } from '../../../shared/governance/views';
import { usePlenary } from '../store';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { TextField } from '../forms/text-field';
import { FormActions } from '../forms/form-actions';
import { formatDate, todayLocal } from './format';

/** One action item with its tick box: its owner or a facilitator may tick it. */
export function ActionItemRow({ action: item, canFacilitate, showAssembly = false }: { action: ActionItemView; canFacilitate: boolean; showAssembly?: boolean }) {
  const { t, i18n } = useTranslation('governance');
  const me = usePlenary((s) => s.info?.localActor ?? '');
  const change = useAction();
  const [shown, setShown] = useState(item.done);
  const id = useId();
  const mayTick = canFacilitate || item.owner === me;
  const due = item.due ? t('actions.due', { date: formatDate(item.due, i18n.language) }) : null;
  const late = item.due !== null && !item.done && item.due < todayLocal();
  return (
    <li className={item.done ? 'gov-action done' : 'gov-action'}>
      <input
        id={id}
        type="checkbox"
        checked={shown}
        disabled={!mayTick || change.busy}
        onChange={async (e) => {
          const done = e.target.checked;
          setShown(done);
          const ok = await change.run(() =>
            applyChange({ type: 'assembly.action.done', circle: item.circle, payload: { assemblyId: item.assemblyId, actionId: item.actionId, owner: item.owner, done } }),
          );
          if (!ok) setShown(!done);
        }}
      />
      <label htmlFor={id}>
        <span className="gov-name">{item.text}</span>
        <span className="muted">
          {' — '}
          {item.ownerName}
          {due && <span className={late ? 'gov-warning' : undefined}>{`, ${due}`}</span>}
          {showAssembly && `, ${t('actions.from', { assembly: item.assemblyTitle, circle: item.circleName })}`}
        </span>
      </label>
      <FormError error={change.error} />
    </li>
  );
}

function AddActionForm({ assembly }: { assembly: AssemblyDetail }) {
  const { t } = useTranslation('governance');
  const run = useAction();
  const [text, setText] = useState('');
  const [owner, setOwner] = useState(assembly.members[0]?.member ?? '');
  const [due, setDue] = useState('');
  const [itemId, setItemId] = useState(assembly.currentItem?.itemId ?? '');
  const ids = { owner: useId(), due: useId(), item: useId() };
  return (
    <form
      className="gov-inline-form"
      aria-label={t('actions.add')}
      onSubmit={async (e) => {
        e.preventDefault();
        const payload = { assemblyId: assembly.id, actionId: newId(), text: text.trim(), owner, ...(due ? { due } : {}), ...(itemId ? { itemId } : {}) };
        if (await run.run(() => applyChange({ type: 'assembly.action.set', circle: assembly.circle, payload }))) {
          setText('');
          setDue('');
        }
      }}
    >
      <h3>{t('actions.add')}</h3>
      <TextField label={t('actions.text')} required max={maxActionText} value={text} onChange={setText} />
      <div className="field">
        <label htmlFor={ids.owner}>{t('actions.owner')}</label>
        <select id={ids.owner} value={owner} required onChange={(e) => setOwner(e.target.value)}>
          {assembly.members.map((m) => (
            <option key={m.member} value={m.member}>
              {m.displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.due}>{t('actions.dueDate')}</label>
        <input id={ids.due} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      {assembly.agenda.length > 0 && (
        <div className="field">
          <label htmlFor={ids.item}>{t('actions.item')}</label>
          <select id={ids.item} value={itemId} onChange={(e) => setItemId(e.target.value)}>
            <option value="">{t('actions.noItem')}</option>
            {assembly.agenda.map((i) => (
              <option key={i.itemId} value={i.itemId}>
                {i.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <FormError error={run.error} />
      <FormActions submit={t('actions.addSubmit')} busy={run.busy} disabled={!owner} primary={false} />
    </form>
  );
}

export function ActionsSection({ assembly }: { assembly: AssemblyDetail }) {
  const { t } = useTranslation('governance');
  const editable = assembly.canFacilitate && assembly.status !== 'closed';
  if (!editable && assembly.actions.length === 0) return null;
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      {assembly.actions.length === 0 ? (
        <p className="muted">{t('actions.none')}</p>
      ) : (
        <ul className="gov-actions">
          {assembly.actions.map((a) => (
            <ActionItemRow key={a.actionId} action={a} canFacilitate={assembly.canFacilitate} />
          ))}
        </ul>
      )}
      {editable && assembly.members.length > 0 && <AddActionForm assembly={assembly} />}
    </section>
  );
}
