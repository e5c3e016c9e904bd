// Which Host names Gatehouse serves. Everything else is refused before dispatch, so DNS rebinding (a page on
// attacker.example whose name later resolves to 127.0.0.1) reaches nothing: its requests carry the attacker's name.
//
// Served: IP literals (a rebinding attack always sends a name), `localhost` and `*.localhost` (browsers resolve them
// to loopback themselves), the operator's `--public-host` names (`*.example.com` allowed), `{apiId}.execute-api.*`
// (dispatched to the data plane before this check), and custom domain names (looked up through the hook the
// custom-domain router installs).
import { isIP } from 'node:net';
import { AwsError } from '../aws/errors.ts';

export class UnservedHost extends AwsError {
  constructor(host: string) {
    super(
      'ForbiddenException',
      403,
      `Host '${host}' is not served by this Gatehouse; the operator can serve a name with --public-host`,
    );
  }
}

export interface HostPolicyOptions {
  /** `--public-host` names: exact names, or `*.suffix` for every name below suffix. */
  publicHosts: readonly string[];
  /** Custom domain names known to the store (case-insensitive, without port). */
  isCustomDomain?: (name: string) => boolean;
}

export class HostPolicy {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  /** Decisions by raw Host header value: a few distinct values per deployment, so this stays small. */
  private readonly decisions = new Map<string, boolean>();
  isCustomDomain: ((name: string) => boolean) | undefined;

  constructor(opts: HostPolicyOptions) {
    for (const h of opts.publicHosts) {
      const name = h.trim().toLowerCase();
      if (name.startsWith('*.')) this.suffixes.push(name.slice(1));
      else if (name) this.exact.add(name);
    }
    this.isCustomDomain = opts.isCustomDomain;
  }

  /** Whether a request with this Host header is served. A missing Host (HTTP/1.0 tools) is served. */
  serves(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined || hostHeader === '') return true;
    let decision = this.decisions.get(hostHeader);
    if (decision === undefined) {
      decision = this.decide(hostName(hostHeader));
      // Custom domains come and go: only static decisions are remembered.
      if (decision || !this.isCustomDomain) {
        if (this.decisions.size >= 1_000) this.decisions.clear();
        this.decisions.set(hostHeader, decision);
      }
    }
    return decision;
  }

  private decide(name: string): boolean {
    if (name === '') return false;
    if (isIP(name) !== 0) return true;
    if (name === 'localhost' || name.endsWith('.localhost')) return true;
    if (this.exact.has(name)) return true;
    for (const suffix of this.suffixes) if (name.endsWith(suffix)) return true;
    return this.isCustomDomain?.(name) ?? false;
  }
}

/** `Host` value → lower-case name without port or IPv6 brackets (a trailing dot, as in `localhost.`, is dropped). */
export function hostName(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) {
    const close = name.indexOf(']');
    return close === -1 ? '' : name.slice(1, close);
  }
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
