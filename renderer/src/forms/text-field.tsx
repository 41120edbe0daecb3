// One labelled text field, as every form has them: the label, the input (or a textarea),
// its limit enforced with maxLength and shown as a counter, and an optional hint; the hint
// and the counter describe the input for screen readers.
import { useId, type ReactNode, type Ref } from 'react';
import { CharCount } from './char-count';

export interface TextFieldProps {
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  /** The most characters the value may have (the operation's limit). */
  max: number;
  multiline?: boolean;
  required?: boolean;
  hint?: ReactNode;
  autoFocus?: boolean;
  placeholder?: string;
  /** Extra class for the input or textarea (e.g. "short"). */
  inputClassName?: string;
  /** Ids of more elements that describe the input. */
  describedBy?: string;
  /** Codes and ids: no spell checking, no autofill. */
  code?: boolean;
  id?: string;
  inputRef?: Ref<HTMLInputElement>;
  disabled?: boolean;
  onBlur?: () => void;
  /** A single-line field's type: text (the default) or url. */
  type?: 'text' | 'url';
}

export function TextField({ label, value, onChange, max, multiline = false, required, hint, autoFocus, placeholder, inputClassName, describedBy, code, id, inputRef, disabled, onBlur, type = 'text' }: TextFieldProps) {
  const ownId = useId();
  const inputId = id ?? ownId;
  const hintId = useId();
  const countId = useId();
  const described = [hint ? hintId : null, countId, describedBy ?? null].filter(Boolean).join(' ');
  const common = {
    id: inputId,
    value,
    maxLength: max,
    required,
    autoFocus,
    placeholder,
    disabled,
    className: inputClassName,
    'aria-describedby': described,
    onBlur,
    ...(code ? { spellCheck: false, autoComplete: 'off' } : {}),
  };
  return (
    <div className={multiline ? 'field stacked' : 'field'}>
      <label htmlFor={inputId}>{label}</label>
      {multiline ? (
        <textarea {...common} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} ref={inputRef} type={type} onChange={(e) => onChange(e.target.value)} />
      )}
      <CharCount id={countId} value={value} max={max} />
      {hint && (
        <p className="hint field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
