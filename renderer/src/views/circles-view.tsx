import { CircleList } from '../governance/circle-list';
import { CirclePage } from '../governance/circle-page';
import type { ViewProps } from './view-props';
import '../governance/governance.css';

export function CirclesView({ params }: ViewProps) {
  const [circleId] = params;
  return circleId ? <CirclePage key={circleId} circleId={circleId} /> : <CircleList />;
}
