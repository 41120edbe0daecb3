import { SectionFrame } from './section-view';
import type { ViewProps } from './view-props';

export function CirclesView(_props: ViewProps) {
  return <SectionFrame section="circles" />;
}
