// Which component renders each section. Each view is its own file, owned by its feature,
// and loaded on first visit (React.lazy): the shell (navigation, status, error banner)
// paints without waiting for any view's code, and a view's chunk is fetched once.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Section } from '../store/nav-slice';
import type { ViewProps } from './view-props';

// One loader per view: React.lazy calls it on first render, and preloadView calls it early
// at start so the first view's code arrives while the core is still being asked for data.
const loaders: Record<Section, () => Promise<{ default: ComponentType<ViewProps> }>> = {
  today: () => import('./today-view').then((m) => ({ default: m.TodayView })),
  circles: () => import('./circles-view').then((m) => ({ default: m.CirclesView })),
  assemblies: () => import('./assemblies-view').then((m) => ({ default: m.AssembliesView })),
  votes: () => import('./votes-view').then((m) => ({ default: m.VotesView })),
  contributions: () => import('./contributions-view').then((m) => ({ default: m.ContributionsView })),
  chat: () => import('./chat-view').then((m) => ({ default: m.ChatView })),
  settings: () => import('./settings-view').then((m) => ({ default: m.SettingsView })),
};

export const views = Object.fromEntries(
  Object.entries(loaders).map(([section, load]) => [section, lazy(load)]),
) as Record<Section, LazyExoticComponent<ComponentType<ViewProps>>>;

/**
 * Starts fetching a view's code without rendering it; a failure surfaces when it renders.
 * Not awaited before the first paint: the shell paints without waiting for any view.
 */
export function preloadView(section: Section): void {
  loaders[section]().catch(() => undefined);
}
