import { SectionFrame } from './section-view';
import type { ViewProps } from './view-props';

export function VotesView(_props: ViewProps) {
  return <SectionFrame section="votes" />;
}
