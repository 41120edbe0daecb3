import { AssemblyList } from '../governance/assembly-list';
import { AssemblyPage } from '../governance/assembly-page';
import type { ViewProps } from './view-props';
import '../governance/governance.css';

export function AssembliesView({ params }: ViewProps) {
  const [circleId, assemblyId] = params;
  return circleId && assemblyId ? <AssemblyPage key={assemblyId} circleId={circleId} assemblyId={assemblyId} /> : <AssemblyList />;
}
