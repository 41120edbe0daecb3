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

type ViewModule = { default: ComponentType<ViewProps> };
const loaded = new Map<Section, ViewModule>();

function load(section: Section): Promise<ViewModule> {
  return loaders[section]().then((module) => (loaded.set(section, module), module));
}

/**
 * A view whose code is already here is handed to React.lazy as a thenable that answers at
 * once, so the first render shows the view itself instead of "Loading…" and a second pass.
 */
function loadForReact(section: Section): Promise<ViewModule> {
  const module = loaded.get(section);
  if (!module) return load(section);
  const ready: PromiseLike<ViewModule> = { then: (onFulfilled) => onFulfilled?.(module) as never };
  return ready as Promise<ViewModule>;
}

export const views = Object.fromEntries(
  (Object.keys(loaders) as Section[]).map((section) => [section, lazy(() => loadForReact(section))]),
) as Record<Section, LazyExoticComponent<ComponentType<ViewProps>>>;

/** Fetches a view's code before it renders; a failure surfaces when it renders. */
export function preloadView(section: Section): Promise<void> {
  return load(section).then(
    () => undefined,
    () => undefined,
  );
}
