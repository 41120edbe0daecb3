import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { PlenaryErrorData } from '../../../shared/errors';
import { FormError } from '../governance/form-error';

/** The sentence for a forum or files failure: its reason in the forum namespace, else the governance wording. */
export function forumErrorText(t: TFunction, i18n: { exists(key: string): boolean }, error: PlenaryErrorData): string | null {
  const reason = error.params?.reason;
  const key = `forum:errors.${String(reason)}`;
  return reason !== undefined && i18n.exists(key) ? t(key, { ...error.params }) : null;
}

export function ForumError({ error }: { error: PlenaryErrorData | null }) {
  const { t, i18n } = useTranslation('forum');
  if (!error) return null;
  const text = forumErrorText(t, i18n, error);
  if (text === null) return <FormError error={error} />;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}
