// The console's frame: the top bar (region, theme, sign out), the side menu built from routes.tsx, and the page
// the location names, loaded on first visit.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { forgetLogin, type Login } from './aws.ts';
import { HOME, routes, type PageProps, type RouteDef } from './routes.tsx';
import { href, matchPath, navigate, useCurrentPath } from './router.ts';
import { ErrorNote, Loading } from './ui/controls.tsx';
import { toggleTheme, useTheme } from './theme.ts';

type Page = ComponentType<PageProps>;
const loaded = new Map<RouteDef, Page>();
const loading = new Map<RouteDef, Promise<{ default: Page }>>();

/** A route's module, imported once (a failed import is tried again on the next visit). */
function load(route: RouteDef): Promise<{ default: Page }> {
  let p = loading.get(route);
  if (!p) {
    p = route.page();
    loading.set(route, p);
    p.catch(() => loading.delete(route));
  }
  return p;
}

/**
 * Starts loading the view a path names, and its first call where it has a `prefetch`, before the shell renders
 * (saves one round trip, and the wait for the first paint, on a first visit).
 */
export function preloadView(path: string): void {
  // An unknown path is sent HOME by the shell.
  const match = resolveRoute(path) ?? resolveRoute(HOME);
  if (!match) return;
  void load(match.route).catch(() => {});
  match.route.prefetch?.();
}

function resolveRoute(path: string): { route: RouteDef; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Fills a route's `:params` from the current ones; undefined when one is missing (the entry is not shown). */
function fill(pattern: string, params: Record<string, string>): string | undefined {
  let missing = false;
  const out = pattern.split('/').map((seg) => {
    if (!seg.startsWith(':')) return seg;
    const v = params[seg.replace(/^:|\?$/g, '')];
    if (v === undefined) {
      if (!seg.endsWith('?')) missing = true;
      return '';
    }
    return encodeURIComponent(v);
  }).join('/').replace(/\/+$/, '');
  return missing ? undefined : out;
}

function Nav(props: { path: string; params: Record<string, string> }) {
  const top = routes.filter((r) => r.nav && !r.path.includes(':'));
  const scoped = routes.filter((r) => r.nav && r.path.includes(':')).map((r) => ({ r, to: fill(r.path, props.params) })).filter((e) => e.to !== undefined);
  const item = (title: string, to: string) => {
    const active = props.path === to || props.path.startsWith(`${to}/`) && !scoped.some((s) => s.to !== to && props.path.startsWith(s.to!) && s.to!.length > to.length);
    return <li key={to}><a href={href(to)} aria-current={active ? 'page' : undefined}>{title}</a></li>;
  };
  return (
    <nav class="sidenav" aria-label="Console">
      <ul>{top.map((r) => item(r.title, r.path))}</ul>
      {scoped.length > 0 && (
        <>
          <h2 class="nav-group">API {props.params.apiId}</h2>
          <ul>{scoped.map((s) => item(s.r.title, s.to!))}</ul>
        </>
      )}
    </nav>
  );
}

export function Shell(props: { login: Login; onLogout(): void }) {
  const path = useCurrentPath();
  const theme = useTheme();
  const match = resolveRoute(path);
  const [page, setPage] = useState<{ route: RouteDef; Page: Page } | undefined>();
  const [error, setError] = useState<string>();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!match) {
      navigate(HOME, { replace: true });
      return;
    }
    const ready = loaded.get(match.route);
    if (ready) {
      setPage({ route: match.route, Page: ready });
      return;
    }
    let current = true;
    setError(undefined);
    load(match.route).then(
      (m) => {
        loaded.set(match.route, m.default);
        if (current) setPage({ route: match.route, Page: m.default });
      },
      (err: unknown) => current && setError(`This view could not be loaded (${String(err)}); reload the page.`),
    );
    return () => { current = false; };
  }, [match?.route]);

  useEffect(() => {
    if (match) document.title = `${match.route.title} · Gatehouse console`;
  }, [match?.route]);

  // After a navigation, keyboard focus moves to the new view (as a page load would), not the link clicked.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus({ preventScroll: true });
  }, [path.split('?')[0]]);

  const Current = page && match && page.route === match.route ? page.Page : undefined;
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>Skip to content</a>
      <header class="topbar">
        <a class="brand" href={href(HOME)}>Gatehouse</a>
        <span class="region" title="Region (the login's)">{props.login.region}</span>
        <span class="who" title="Access key ID">{props.login.accessKeyId}</span>
        <button type="button" class="btn plain" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
        <button type="button" class="btn plain" onClick={() => { forgetLogin(); props.onLogout(); }}>Sign out</button>
      </header>
      <Nav path={path.split('?')[0]!} params={match?.params ?? {}} />
      <main id="main" class="content" tabIndex={-1} ref={main}>
        <ErrorNote error={error} />
        {Current && match ? <Current key={path.split('?')[0]} params={match.params} /> : !error && <Loading />}
      </main>
    </div>
  );
}
