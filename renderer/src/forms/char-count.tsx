// How much of a text field's limit is used ("120 / 200"), so nobody finds the limit by
// hitting it. Marked when close to the limit; the field's maxLength enforces it.
import { useTranslation } from 'react-i18next';

export function CharCount({ value, max, id }: { value: string; max: number; id?: string }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const near = value.length >= max * 0.9;
  return (
    <span id={id} className={near ? 'char-count near' : 'char-count'}>
      {t('forms.charCount', { count: number.format(value.length), max: number.format(max) })}
    </span>
  );
}
