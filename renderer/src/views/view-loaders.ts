// Where each section's view code is, as plain dynamic imports: no React here, so the early
// start script (early-start.ts) can begin fetching the first view before React is even
// evaluated. views/index.ts wraps the same loaders in React.lazy.
import type { ComponentType } from 'react';
import type { Section } from '../store/nav-slice';
import type { ViewProps } from './view-props';

export const viewLoaders: Record<Section, () => Promise<{ default: ComponentType<ViewProps> }>> = {
  today: () => import('./today-view').then((m) => ({ default: m.TodayView })),
  circles: () => import('./circles-view').then((m) => ({ default: m.CirclesView })),
  assemblies: () => import('./assemblies-view').then((m) => ({ default: m.AssembliesView })),
  votes: () => import('./votes-view').then((m) => ({ default: m.VotesView })),
  contributions: () => import('./contributions-view').then((m) => ({ default: m.ContributionsView })),
  chat: () => import('./chat-view').then((m) => ({ default: m.ChatView })),
  settings: () => import('./settings-view').then((m) => ({ default: m.SettingsView })),
};

/**
 * Starts fetching a view's code without rendering it; a failure surfaces when it renders.
 * Not awaited before the first paint: the shell paints without waiting for any view.
 */
export function preloadView(section: Section): void {
  viewLoaders[section]().catch(() => undefined);
}
