import { SectionFrame } from './section-view';
import type { ViewProps } from './view-props';

export function ContributionsView(_props: ViewProps) {
  return <SectionFrame section="contributions" />;
}
