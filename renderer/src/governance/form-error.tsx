import { useTranslation } from 'react-i18next';
import type { PlenaryErrorData } from '../../../shared/errors';
import { errorText } from '../app/error-text';

/**
 * Why a governance change was refused, next to the form that made it. Rule failures carry
 * a reason the interface translates; a malformed field is named by its label in the
 * interface language rather than by its path in the operation.
 */
export function FormError({ error, id }: { error: PlenaryErrorData | null; id?: string }) {
  const { t, i18n } = useTranslation('governance');
  if (!error) return null;
  const reason = error.params?.reason;
  // Reasons of ballot settings and delegation have their own block (ballotErrors).
  const reasonKey = i18n.exists(`governance:errors.${String(reason)}`) ? `governance:errors.${String(reason)}` : `governance:ballotErrors.${String(reason)}`;
  const fieldKey = `governance:fields.${error.field?.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? ''}`;
  let text: string;
  if (reason !== undefined && i18n.exists(reasonKey)) text = t(reasonKey);
  else if (error.code === 'invalid_input' && error.field && i18n.exists(fieldKey)) {
    text = t('errors.invalidField', { field: t(fieldKey), detail: String(error.params?.detail ?? error.message) });
  } else text = errorText(t, error);
  return (
    <p className="form-error" role="alert" id={id}>
      {text}
    </p>
  );
}
