import type { TFunction } from 'i18next';
import type { VoteSummary } from '../../../shared/governance/views';

/** A ballot's choice in words, using the vote's option labels. */
export function describeChoiceText(t: TFunction, vote: Pick<VoteSummary, 'method' | 'options'>, choice: unknown): string {
  const label = (id: unknown) => vote.options.find((o) => o.id === id)?.label ?? String(id);
  if (vote.method === 'consent' && typeof choice === 'string') return t(`governance:consent.${choice}`);
  if (typeof choice === 'string') return label(choice);
  if (Array.isArray(choice)) return vote.method.startsWith('ranked') ? choice.map((id, i) => `${i + 1}. ${label(id)}`).join(', ') : choice.map(label).join(', ');
  if (choice && typeof choice === 'object') return Object.entries(choice).map(([id, score]) => `${label(id)}: ${String(score)}`).join(', ');
  return String(choice);
}
