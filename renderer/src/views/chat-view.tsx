import { SectionFrame } from './section-view';
import type { ViewProps } from './view-props';

export function ChatView(_props: ViewProps) {
  return <SectionFrame section="chat" />;
}
