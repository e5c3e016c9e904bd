// Operation routing from the model's `requestUri` templates: no hand-written route table. A request matches an
// operation by HTTP method, by its raw path split on '/' (each segment percent-decoded after splitting, so '%2F'
// inside a label stays in that label), and by any fixed query the template demands (`/restapis?mode=import`).
// Among several matches the most specific wins: literal segments before labels, a fixed query before none.
import type { Operation, ServiceModel } from './model.ts';

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: Operation;
  segments: Segment[];
  fixedQuery: Array<[string, string | undefined]>;
  /** Higher is more specific. */
  score: number;
}

export interface RouteMatch {
  operation: Operation;
  /** Path labels by their template name, decoded. */
  labels: Record<string, string>;
}

export class OperationRouter {
  private readonly byMethod = new Map<string, Route[]>();

  constructor(model: ServiceModel) {
    for (const [name, op] of Object.entries(model.operations)) {
      const operation = { ...op, name };
      const [pathPart, queryPart] = op.http.requestUri.split('?') as [string, string | undefined];
      const segments: Segment[] = pathPart
        .split('/')
        .filter((s) => s !== '')
        .map((s) => {
          const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
          return m ? { label: m[1]!, greedy: m[2] === '+' } : { literal: s };
        });
      const fixedQuery: Array<[string, string | undefined]> = queryPart
        ? queryPart.split('&').map((kv) => {
            const [k, v] = kv.split('=');
            return [k!, v];
          })
        : [];
      let score = fixedQuery.length * 1000;
      segments.forEach((s, i) => {
        if ('literal' in s) score += 100 - i;
      });
      const list = this.byMethod.get(op.http.method) ?? [];
      list.push({ operation, segments, fixedQuery, score });
      this.byMethod.set(op.http.method, list);
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.score - a.score);
  }

  /** Throws URIError for malformed percent-encoding. */
  match(method: string, rawPath: string, query: URLSearchParams): RouteMatch | undefined {
    const routes = this.byMethod.get(method);
    if (!routes) return undefined;
    const raw = rawPath.split('/').filter((s) => s !== '');
    for (const route of routes) {
      const labels = matchSegments(route.segments, raw);
      if (!labels) continue;
      if (!route.fixedQuery.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v))) continue;
      return { operation: route.operation, labels };
    }
    return undefined;
  }

  /** Whether any operation lives at this path under another method (for 405-like answers). */
  knowsPath(rawPath: string): boolean {
    const raw = rawPath.split('/').filter((s) => s !== '');
    for (const routes of this.byMethod.values()) if (routes.some((r) => matchSegments(r.segments, raw))) return true;
    return false;
  }
}

function matchSegments(segments: Segment[], raw: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if ('literal' in seg) {
      if (raw[i] !== seg.literal) return undefined;
    } else if (seg.greedy) {
      if (i >= raw.length) return undefined;
      labels[seg.label] = raw.slice(i).map(decodeURIComponent).join('/');
      return labels;
    } else {
      if (i >= raw.length) return undefined;
      labels[seg.label] = decodeURIComponent(raw[i]!);
    }
  }
  return raw.length === segments.length ? labels : undefined;
}
