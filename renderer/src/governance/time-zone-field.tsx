import { useId } from 'react';
import { timeZones } from './format';

/** A time-zone input with every zone this browser knows as suggestions. */
export function TimeZoneField({ id, value, onChange, required = true }: { id: string; value: string; onChange(value: string): void; required?: boolean }) {
  const listId = useId();
  return (
    <>
      <input id={id} type="text" list={listId} value={value} required={required} autoComplete="off" spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId}>
        {timeZones().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </>
  );
}
