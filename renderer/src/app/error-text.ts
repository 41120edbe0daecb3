import type { TFunction } from 'i18next';
import type { PlenaryErrorData } from '../../../shared/errors';

/** The translated sentence for an error, naming the field when validation failed. */
export function errorText(t: TFunction, error: PlenaryErrorData): string {
  const detail = String(error.params?.detail ?? error.message);
  if (error.code === 'invalid_input' && error.field) {
    return t('common:errors.invalid_input_field', { field: error.field, detail });
  }
  return t(`common:errors.${error.code}`, { ...error.params, detail });
}
