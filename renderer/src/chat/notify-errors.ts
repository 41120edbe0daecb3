// Sentences for failures of the notification settings (push rules on the coop server).
import type { TFunction } from 'i18next';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';

export function notifyErrorText(t: TFunction, caught: unknown): string {
  const error = toErrorData(caught);
  const reason = error.params?.reason;
  if (error.code === 'offline') return t('chat:notifications.needsServer');
  if (error.code === 'invalid_input' && typeof reason === 'string' && ['empty', 'tooLong', 'control', 'dot'].includes(reason)) return t(`chat:notifications.keywordErrors.${reason}`);
  return errorText(t, error);
}
