import { SectionFrame } from './section-view';
import type { ViewProps } from './view-props';

export function AssembliesView(_props: ViewProps) {
  return <SectionFrame section="assemblies" />;
}
