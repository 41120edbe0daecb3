// Where the user is. Routes live in the URL hash (#/circles/abc) so reloads, the browser
// bridge's back button and deep links from the tray land on the same view.
import type { StateCreator } from 'zustand';
import type { PlenaryState } from './index';

export const sections = ['today', 'circles', 'assemblies', 'votes', 'contributions', 'chat', 'settings'] as const;
export type Section = (typeof sections)[number];

export interface Route {
  section: Section;
  /** Path segments after the section, e.g. a circle id. */
  params: string[];
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, ...rest] = parts;
  const section = (sections as readonly string[]).includes(first ?? '') ? (first as Section) : 'today';
  return { section, params: section === first ? rest : [] };
}

export function formatRoute(route: Route): string {
  return '#/' + [route.section, ...route.params].map(encodeURIComponent).join('/');
}

export interface NavSlice {
  route: Route;
  navigate(route: Route | Section): void;
  syncRouteFromLocation(hash: string): void;
}

export const createNavSlice: StateCreator<PlenaryState, [], [], NavSlice> = (set) => ({
  route: { section: 'today', params: [] },
  navigate(target) {
    const route = typeof target === 'string' ? { section: target, params: [] } : target;
    const hash = formatRoute(route);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    set({ route });
  },
  syncRouteFromLocation: (hash) => set({ route: parseRoute(hash) }),
});
