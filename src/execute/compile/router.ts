// The resource tree of a deployment as a route trie. API Gateway picks the most specific resource for a path:
// a literal path part beats `{param}`, which beats a greedy `{proxy+}`; when a more specific branch has no
// resource for the rest of the path, the next kind is tried. `{proxy+}` needs at least one segment.
// Matching is on the request's raw segments: literal path parts are compared with the decoded segment, parameter
// values keep the client's percent-encoding (greedy: the raw segments joined with '/'), as API Gateway passes them
// on (recorded on AWS: `{proxy+}` of `/api/user/test%2Balias@gmail.com` is `api/user/test%2Balias@gmail.com`).
import { decodeLenient } from '../headers.ts';

export interface RouteMatch<T> {
  value: T;
  /** Path parameters by name (without the '+' of a greedy one). */
  params: Record<string, string>;
}

export interface Router<T> {
  /** Adds a resource by its path (`/`, `/pets/{id}`, `/files/{proxy+}`); throws on a duplicate. */
  add(path: string, value: T): void;
  /** Matches raw (percent-encoded) path segments (no empty leading segment; [] is the root). */
  match(segments: readonly string[]): RouteMatch<T> | undefined;
}

interface Node<T> {
  value: T | undefined;
  literal: Map<string, Node<T>> | undefined;
  param: { name: string; node: Node<T> } | undefined;
  greedy: { name: string; value: T } | undefined;
}

const newNode = <T>(): Node<T> => ({ value: undefined, literal: undefined, param: undefined, greedy: undefined });

export class TrieRouter<T> implements Router<T> {
  readonly #root: Node<T> = newNode();

  add(path: string, value: T): void {
    const parts = path.split('/').filter((p) => p !== '');
    let node = this.#root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.startsWith('{') && part.endsWith('+}')) {
        if (i !== parts.length - 1) throw new Error(`greedy path part ${part} must be last in ${path}`);
        if (node.greedy) throw new Error(`duplicate greedy resource ${path}`);
        node.greedy = { name: part.slice(1, -2), value };
        return;
      }
      if (part.startsWith('{') && part.endsWith('}')) {
        const name = part.slice(1, -1);
        node.param ??= { name, node: newNode() };
        node = node.param.node;
      } else {
        node.literal ??= new Map();
        let next = node.literal.get(part);
        if (!next) node.literal.set(part, (next = newNode()));
        node = next;
      }
    }
    if (node.value !== undefined) throw new Error(`duplicate resource ${path}`);
    node.value = value;
  }

  match(segments: readonly string[]): RouteMatch<T> | undefined {
    const params: Record<string, string> = {};
    const value = this.#walk(this.#root, segments, 0, params);
    return value === undefined ? undefined : { value, params };
  }

  #walk(node: Node<T>, segs: readonly string[], i: number, params: Record<string, string>): T | undefined {
    if (i === segs.length) return node.value;
    const seg = segs[i]!;
    const lit = node.literal?.get(decodeLenient(seg));
    if (lit) {
      const v = this.#walk(lit, segs, i + 1, params);
      if (v !== undefined) return v;
    }
    if (node.param && seg !== '') {
      const v = this.#walk(node.param.node, segs, i + 1, params);
      if (v !== undefined) {
        params[node.param.name] = seg;
        return v;
      }
    }
    if (node.greedy) {
      // One segment left (`/proxy/x`, the usual case): itself, without a copy of the array and a join.
      params[node.greedy.name] = i === segs.length - 1 ? seg : segs.slice(i).join('/');
      return node.greedy.value;
    }
    return undefined;
  }
}
