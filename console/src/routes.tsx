// The console's pages. Each entry is one lazily loaded module under ./pages/ (its own chunk): to add a view, add a
// file exporting `default function Page(props: PageProps)` and one line here. `nav` puts it in the side menu (at
// the top level for APIs-wide views, or under an API when the path has `:apiId`). The first match wins.
import type { ComponentType } from 'preact';

export interface PageProps {
  /** The path's parameters, decoded (`:apiId` → params.apiId). */
  params: Readonly<Record<string, string>>;
}

export interface RouteDef {
  path: string;
  title: string;
  /** Shown in the side menu. */
  nav?: boolean;
  page: () => Promise<{ default: ComponentType<PageProps> }>;
}

/** Where `#/` and unknown paths go. */
export const HOME = '/apis';

export const routes: RouteDef[] = [
  { path: '/apis', title: 'APIs', nav: true, page: () => import('./pages/apis.tsx') },
  { path: '/functions', title: 'Functions', nav: true, page: () => import('./pages/functions.tsx') },
  { path: '/functions/:name', title: 'Function', page: () => import('./pages/function.tsx') },
];
