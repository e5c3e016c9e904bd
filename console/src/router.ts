// The console's router: the location is the hash (`#/apis/abc123/resources`), so Gatehouse serves one index.html
// and reloads, bookmarks and the back button work without server routes.
import { useEffect, useState } from 'preact/hooks';

/** The console path the hash names ('/' when empty). */
export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h : '/';
}

export function useCurrentPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

/** An href for a console path: for <a> elements, so links open in new tabs and work from the keyboard. */
export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.location.replace(href(path));
  else window.location.hash = path;
}

/** Builds a path from segments, encoding each (an id or a resource path may hold any character). */
export function pathOf(...segments: string[]): string {
  return '/' + segments.map(encodeURIComponent).join('/');
}

/**
 * Matches `/apis/:apiId/resources/:resourceId?` against a path: the decoded parameters, or null. A trailing
 * `?` makes the last parameter optional.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('?')[0]!.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  if (got.length > want.length) return null;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i];
    if (w.startsWith(':')) {
      const optional = w.endsWith('?');
      if (g === undefined) {
        if (optional && i === want.length - 1) return params;
        return null;
      }
      try {
        params[optional ? w.slice(1, -1) : w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

/** The query part of the hash (`#/apis/x/test?method=GET`). */
export function hashQuery(): URLSearchParams {
  const p = currentPath();
  const q = p.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : p.slice(q + 1));
}
