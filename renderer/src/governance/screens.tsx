// The governance screens, loaded on first visit (one chunk for all four sections) so the
// app shell paints without them.
import { CircleList } from './circle-list';
import { CirclePage } from './circle-page';
import { AssemblyList } from './assembly-list';
import { AssemblyPage } from './assembly-page';
import { VoteListSection } from './vote-list';
import { VotePage } from './vote-page';
import { ArchiveScreen } from './archive-screen';
import { ContributionsScreen } from './contributions-screen';
import { TopicPage } from '../forum/topic-page';
import './governance.css';

export function CirclesScreen({ params }: { params: string[] }) {
  const [circleId, sub, topicId] = params;
  if (circleId && sub === 'topics' && topicId && /^\d+$/.test(topicId)) return <TopicPage key={topicId} circleId={circleId} topicId={Number(topicId)} />;
  return circleId ? <CirclePage key={circleId} circleId={circleId} /> : <CircleList />;
}

export function AssembliesScreen({ params }: { params: string[] }) {
  const [circleId, assemblyId] = params;
  return circleId && assemblyId ? <AssemblyPage key={assemblyId} circleId={circleId} assemblyId={assemblyId} /> : <AssemblyList />;
}

export function VotesScreen({ params }: { params: string[] }) {
  const [circleId, voteId] = params;
  if (circleId === 'archive' && !voteId) return <ArchiveScreen />;
  return circleId && voteId ? <VotePage key={voteId} circleId={circleId} voteId={voteId} /> : <VoteListSection canCreate headingLevel={1} />;
}

export { ContributionsScreen };
