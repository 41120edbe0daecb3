// The buttons that end a form: its submit button (busy while the change runs) and,
// when the form can be left, Cancel.
import { useTranslation } from 'react-i18next';

export function FormActions({ submit, busy = false, disabled = false, onCancel, primary = true }: { submit: string; busy?: boolean; disabled?: boolean; onCancel?: (() => void) | undefined; primary?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="submit" className={primary ? 'primary' : undefined} disabled={busy || disabled} aria-busy={busy || undefined}>
        {submit}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      )}
    </div>
  );
}
