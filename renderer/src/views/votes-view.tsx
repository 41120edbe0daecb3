import { VoteListSection } from '../governance/vote-list';
import { VotePage } from '../governance/vote-page';
import type { ViewProps } from './view-props';
import '../governance/governance.css';

export function VotesView({ params }: ViewProps) {
  const [circleId, voteId] = params;
  return circleId && voteId ? <VotePage key={voteId} circleId={circleId} voteId={voteId} /> : <VoteListSection canCreate headingLevel={1} />;
}
