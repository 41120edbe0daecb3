// Which component renders each section. Each view is its own file, owned by its feature,
// and loaded on first visit (React.lazy): the shell (navigation, status, error banner)
// paints without waiting for any view's code, and a view's chunk is fetched once.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Section } from '../store/nav-slice';
import type { ViewProps } from './view-props';
import { viewLoaders } from './view-loaders';

export { preloadView } from './view-loaders';

// React.lazy calls a view's loader on its first render; preloadView (at start) may have
// called it already, and the browser fetches a module once.
export const views = Object.fromEntries(
  Object.entries(viewLoaders).map(([section, load]) => [section, lazy(load)]),
) as Record<Section, LazyExoticComponent<ComponentType<ViewProps>>>;
