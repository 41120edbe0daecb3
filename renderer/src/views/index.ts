// Which component renders each section. Each view is its own file, owned by its feature,
// and loaded on first visit (React.lazy): the shell (navigation, status, error banner)
// paints without waiting for any view's code, and a view's chunk is fetched once.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Section } from '../store/nav-slice';
import type { ViewProps } from './view-props';

export const views: Record<Section, LazyExoticComponent<ComponentType<ViewProps>>> = {
  today: lazy(() => import('./today-view').then((m) => ({ default: m.TodayView }))),
  circles: lazy(() => import('./circles-view').then((m) => ({ default: m.CirclesView }))),
  assemblies: lazy(() => import('./assemblies-view').then((m) => ({ default: m.AssembliesView }))),
  votes: lazy(() => import('./votes-view').then((m) => ({ default: m.VotesView }))),
  contributions: lazy(() => import('./contributions-view').then((m) => ({ default: m.ContributionsView }))),
  chat: lazy(() => import('./chat-view').then((m) => ({ default: m.ChatView }))),
  settings: lazy(() => import('./settings-view').then((m) => ({ default: m.SettingsView }))),
};
