// The account password, asked where the server wants it once to change the member's keys
// (cross-signing, secure backup): a password input with its hint tied to it. Never kept:
// the caller clears it once the request is answered.
import { useId } from 'react';

export function AccountPasswordField(props: { label: string; hint: string; value: string; onChange: (value: string) => void; required?: boolean }) {
  const inputId = useId();
  const hintId = useId();
  return (
    <>
      <label htmlFor={inputId}>{props.label}</label>
      <input
        id={inputId}
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete="current-password"
        aria-describedby={hintId}
        required={props.required ?? false}
      />
      <p id={hintId} className="hint">
        {props.hint}
      </p>
    </>
  );
}
