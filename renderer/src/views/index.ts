// Which component renders each section. Each view is its own file, owned by its feature.
import type { ComponentType } from 'react';
import type { Section } from '../store/nav-slice';
import type { ViewProps } from './view-props';
import { TodayView } from './today-view';
import { CirclesView } from './circles-view';
import { AssembliesView } from './assemblies-view';
import { VotesView } from './votes-view';
import { ContributionsView } from './contributions-view';
import { ChatView } from './chat-view';
import { SettingsView } from './settings-view';

export const views: Record<Section, ComponentType<ViewProps>> = {
  today: TodayView,
  circles: CirclesView,
  assemblies: AssembliesView,
  votes: VotesView,
  contributions: ContributionsView,
  chat: ChatView,
  settings: SettingsView,
};
