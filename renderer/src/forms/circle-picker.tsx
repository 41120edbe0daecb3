// Which circle a new assembly, vote or contribution belongs to, when the form is not for
// one circle already. Long names are cut in the list; the full name is each option's title.
import { useId } from 'react';
import type { CircleSummary } from '../../../shared/governance/views';

export function CirclePicker({ circles, value, onChange, label }: { circles: readonly Pick<CircleSummary, 'id' | 'name'>[]; value: string; onChange(id: string): void; label: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} required onChange={(e) => onChange(e.target.value)}>
        {circles.map((c) => (
          <option key={c.id} value={c.id} title={c.name}>
            {c.name.length > 80 ? `${c.name.slice(0, 79)}…` : c.name}
          </option>
        ))}
      </select>
    </div>
  );
}
