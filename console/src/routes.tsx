// The console's pages. Each entry is one lazily loaded module under ./pages/ (its own chunk; the landing view, APIs,
// comes with the entry): to add a view, add a
// file exporting `default function Page(props: PageProps)` and one line here. `nav` puts it in the side menu (at
// the top level for paths without parameters, or under the current API when the path has `:apiId`). The first
// match wins, so a fixed path (`/apis/new`) comes before a parameter in the same place (`/apis/:apiId/…`).
import type { ComponentType } from 'preact';
import ApisPage, { prefetchApis } from './pages/apis.tsx';

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
  /** Starts the view's first AWS call when the console opens on it, before the first render (`preloadView`). */
  prefetch?: () => void;
}

/** Where `#/` and unknown paths go. */
export const HOME = '/apis';

export const routes: RouteDef[] = [
  // The landing view is part of the entry's script, with the API Gateway client: nothing waits for a second round of
  // chunks after the entry has run (bench/console/README.md).
  { path: '/apis', title: 'APIs', nav: true, page: async () => ({ default: ApisPage }), prefetch: prefetchApis },
  { path: '/apis/new', title: 'Create API', page: () => import('./pages/create-api.tsx') },
  { path: '/apis/:apiId/resources/:resourceId/create-method', title: 'Create method', page: () => import('./pages/create-method.tsx') },
  { path: '/apis/:apiId/resources/:resourceId/methods/:httpMethod', title: 'Method execution', page: () => import('./pages/method.tsx') },
  { path: '/apis/:apiId/resources/:resourceId?', title: 'Resources', nav: true, page: () => import('./pages/resources.tsx') },
  { path: '/apis/:apiId/stages/:stageName?', title: 'Stages', nav: true, page: () => import('./pages/stages.tsx') },
  { path: '/apis/:apiId/deploy', title: 'Deploy API', page: () => import('./pages/deploy.tsx') },
  { path: '/apis/:apiId/policy', title: 'Resource policy', nav: true, page: () => import('./pages/resource-policy.tsx') },
  { path: '/apis/:apiId/settings', title: 'API settings', nav: true, page: () => import('./pages/api-settings.tsx') },
  // Account-wide views (issue 16, part B), then Lambda.
  { path: '/apikeys', title: 'API keys', nav: true, page: () => import('./pages/api-keys.tsx') },
  { path: '/usageplans', title: 'Usage plans', nav: true, page: () => import('./pages/usage-plans.tsx') },
  { path: '/usageplans/:planId', title: 'Usage plan', page: () => import('./pages/usage-plan.tsx') },
  { path: '/domains', title: 'Custom domain names', nav: true, page: () => import('./pages/domains.tsx') },
  { path: '/client-certificates', title: 'Client certificates', nav: true, page: () => import('./pages/client-certificates.tsx') },
  { path: '/vpc-links', title: 'VPC links', nav: true, page: () => import('./pages/vpc-links.tsx') },
  { path: '/functions', title: 'Functions', nav: true, page: () => import('./pages/functions.tsx') },
  { path: '/functions/:name', title: 'Function', page: () => import('./pages/function.tsx') },
  // One API's features (issue 16, part B).
  { path: '/apis/:apiId/authorizers', title: 'Authorizers', nav: true, page: () => import('./pages/authorizers.tsx') },
  { path: '/apis/:apiId/models', title: 'Models', nav: true, page: () => import('./pages/models.tsx') },
  { path: '/apis/:apiId/validators', title: 'Request validators', nav: true, page: () => import('./pages/request-validators.tsx') },
  { path: '/apis/:apiId/gateway-responses', title: 'Gateway responses', nav: true, page: () => import('./pages/gateway-responses.tsx') },
  { path: '/apis/:apiId/documentation', title: 'Documentation', nav: true, page: () => import('./pages/documentation.tsx') },
  { path: '/apis/:apiId/monitoring', title: 'Monitoring', nav: true, page: () => import('./pages/monitoring.tsx') },
];
