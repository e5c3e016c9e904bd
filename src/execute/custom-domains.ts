// Custom domain names on the data plane: which domain a request's Host names, and which API and stage its path is
// mapped to (developer guide, "Use API mappings to connect API stages to a custom domain name for REST APIs"):
//
// - the mapping with the longest matching base path wins, matched segment by segment and case-sensitively; the
//   empty base path `(none)` takes what no other mapping matches; no match at all is AWS's 403 `Forbidden`;
// - the base path is stripped: `/orders/v1/items/5` through the mapping `orders/v1` reaches the API as `/items/5`;
// - a mapping without a stage takes the stage from the next segment (`/orders/prod/items`);
// - `$context.path` and the Lambda proxy event's `path` stay the path the client sent.
//
// Every public domain and its mappings are held in memory, found through the global `domainhosts` index, and
// reloaded after each commit that touches them; requests arriving while a reload runs wait for it, so a mapping
// answers as soon as its control call has. Private domains are not routed (VPC endpoints only, as on AWS), nor are
// domains whose routing mode is ROUTING_RULE_ONLY (routing rules are not available in Gatehouse).
import { DatabaseError } from '../store/database-url.ts';
import type { Store } from '../store/store.ts';
import { scopedStore } from '../store/scoped.ts';
import {
  backfillDomainHosts,
  BASE_PATH_MAPPINGS,
  DOMAIN_HOSTS,
  DOMAIN_NAMES,
  type BasePathMapping,
  type DomainHost,
  type StoredDomainName,
} from '../control/domain-names-store.ts';
import type { ExecuteTarget } from './data-plane.ts';

const NO_BASE_PATH = '(none)';

export interface DomainMapping {
  /** Decoded base path segments; empty for `(none)`. */
  readonly segments: readonly string[];
  readonly restApiId: string;
  readonly stage: string | undefined;
}

/** One public custom domain name as the data plane and the TLS listener see it. */
export interface ServedDomain {
  /** As created (lower case is how it is looked up). */
  readonly name: string;
  readonly region: string;
  readonly endpointType: string;
  readonly securityPolicy: string;
  /** The certificate uploaded with CreateDomainName (PEM), if any; otherwise the domain names an ACM certificate. */
  readonly certificate: { cert: string; key: string; chain?: string } | undefined;
  /**
   * The truststore of a domain with mutual TLS: Gatehouse cannot read it (S3), so such a domain is refused (TLS
   * handshake, or 403 over plain HTTP) rather than served without client authentication.
   */
  readonly mutualTls: string | undefined;
  /** Longest base path first, `(none)` last. */
  readonly mappings: readonly DomainMapping[];
  /** Bumped on every reload that changed the domain, so TLS contexts built from it can be told stale. */
  readonly version: string;
}


export class CustomDomains {
  readonly #store: Store;
  readonly #defaultRegion: string;
  /** Lower-case name → domain (for a name present in several regions: the default region's, else the first). */
  #byName = new Map<string, ServedDomain>();
  /** Raw Host header → domain or null; cleared on reload. */
  #byHost = new Map<string, ServedDomain | null>();
  #loading: Promise<void> | undefined;
  #again = false;
  #backfilled = false;
  readonly #unsubscribe: () => void;

  constructor(store: Store, defaultRegion: string) {
    this.#store = store;
    this.#defaultRegion = defaultRegion;
    this.#unsubscribe = store.onCommit((collections) => {
      if (collections.has(DOMAIN_HOSTS) || collections.has(DOMAIN_NAMES) || collections.has(BASE_PATH_MAPPINGS)) this.reload();
    });
    this.reload();
  }

  close(): void {
    this.#unsubscribe();
  }

  /** A promise while the table is being (re)loaded: callers that route by Host wait for it. */
  pending(): Promise<void> | undefined {
    return this.#loading;
  }

  /** Reloads the whole table (on start, after commits, after a wipe). */
  reload(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      try {
        do {
          this.#again = false;
          const next = await this.#load();
          this.#byName = next;
          this.#byHost = new Map();
        } while (this.#again);
      } catch (err) {
        // A failed load keeps the previous table; the next commit tries again. A database that never opened is
        // startup's one line to say, not this one's.
        if (!(err instanceof DatabaseError)) process.stderr.write(`custom domain names could not be loaded: ${(err as Error).message}\n`);
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }

  /** Whether a host name (lower case, no port) is a custom domain Gatehouse routes. */
  isCustomDomain(name: string): boolean {
    return this.byName(name) !== undefined;
  }

  /** The domain a name (any case, no port) addresses: exact, else a wildcard domain `*.parent`. */
  byName(name: string): ServedDomain | undefined {
    if (this.#byName.size === 0) return undefined;
    const lower = name.toLowerCase();
    const exact = this.#byName.get(lower);
    if (exact) return exact;
    const dot = lower.indexOf('.');
    return dot === -1 ? undefined : this.#byName.get(`*${lower.slice(dot)}`);
  }

  /** Every served domain (for the TLS listener's certificate selection). */
  domains(): IterableIterator<ServedDomain> {
    return this.#byName.values();
  }

  /** The execute target of a request to a custom domain, or undefined when its Host is not one. */
  target(hostHeader: string | undefined, rawPath: string, rawQuery: string): ExecuteTarget | undefined {
    if (this.#byName.size === 0 || !hostHeader) return undefined;
    let domain = this.#byHost.get(hostHeader);
    if (domain === undefined) {
      domain = this.byName(hostNameOf(hostHeader)) ?? null;
      if (this.#byHost.size >= 1_000) this.#byHost.clear();
      this.#byHost.set(hostHeader, domain);
    }
    if (domain === null) return undefined;
    return mapRequest(domain, hostNameOf(hostHeader), rawPath, rawQuery);
  }

  async #load(): Promise<Map<string, ServedDomain>> {
    if (!this.#backfilled) {
      // Domains stored before the host index existed: index them once (a no-op write when there are none).
      const domains = await this.#store.read((tx) => tx.list(DOMAIN_NAMES));
      if (domains.length) await this.#store.write((tx) => backfillDomainHosts(tx));
      this.#backfilled = true;
    }
    const rows = await this.#store.read((tx) => tx.list<DomainHost>(DOMAIN_HOSTS));
    // Regions of each name; the default region's domain is preferred when a name exists in several.
    const chosen = new Map<string, DomainHost>();
    for (const { key, value } of rows) {
      const name = key.slice(0, key.lastIndexOf('/'));
      const current = chosen.get(name);
      if (!current || (value.region === this.#defaultRegion && current.region !== this.#defaultRegion)) chosen.set(name, value);
    }
    const out = new Map<string, ServedDomain>();
    for (const [name, row] of chosen) {
      const loaded = await scopedStore(this.#store, row.region).read(async (tx) => ({
        domain: await tx.get<StoredDomainName>(DOMAIN_NAMES, row.key),
        mappings: await tx.list<BasePathMapping>(BASE_PATH_MAPPINGS, `${row.key}/`),
      }));
      if (!loaded.domain) continue;
      const d = loaded.domain;
      const routed = d.routingMode !== 'ROUTING_RULE_ONLY';
      const mappings: DomainMapping[] = routed
        ? loaded.mappings.map(({ value }) => ({
            segments: value.basePath === NO_BASE_PATH ? [] : value.basePath.split('/'),
            restApiId: value.restApiId,
            stage: value.stage,
          }))
        : [];
      mappings.sort((a, b) => b.segments.length - a.segments.length);
      const certificate = d.uploadedCertificate
        ? { cert: d.uploadedCertificate.body, key: d.uploadedCertificate.privateKey, chain: d.uploadedCertificate.chain }
        : undefined;
      out.set(name, {
        name: d.domainName,
        region: row.region,
        endpointType: d.endpointConfiguration.types?.[0] ?? 'EDGE',
        securityPolicy: d.securityPolicy ?? 'TLS_1_2',
        certificate,
        mutualTls: d.mutualTlsAuthentication?.truststoreUri,
        mappings,
        version: `${d.securityPolicy}|${d.certificateUploadDate ?? ''}|${d.certificateArn ?? d.regionalCertificateArn ?? ''}|${d.uploadedCertificate?.body.length ?? 0}`,
      });
    }
    return out;
  }
}

/**
 * Maps a request path on a domain to its API and stage, stripping the base path. The raw path keeps its percent
 * encoding; segments are compared decoded (a client may send `(` as `%28`).
 */
export function mapRequest(domain: ServedDomain, host: string, rawPath: string, rawQuery: string): ExecuteTarget {
  // Slashes before the base path are collapsed, as for execute-api hosts (`//orders/x` is `/orders/x`).
  const path = rawPath.charCodeAt(0) !== 47 ? `/${rawPath}` : rawPath.charCodeAt(1) === 47 ? rawPath.replace(/^\/+/, '/') : rawPath;
  for (const m of domain.mutualTls ? [] : domain.mappings) {
    const end = matchPrefix(path, m.segments);
    if (end === -1) continue;
    let rest = path.slice(end);
    let stage = m.stage;
    if (stage === undefined) {
      // No stage on the mapping: the next segment names it.
      const next = rest.indexOf('/', 1);
      stage = decodeSafe(next === -1 ? rest.slice(1) : rest.slice(1, next));
      rest = next === -1 ? '' : rest.slice(next);
    }
    return { apiId: m.restApiId, stage, rawPath: rest === '' ? '/' : rest, rawQuery, style: 'domain', domainName: host, requestPath: path };
  }
  return { apiId: '', stage: '', rawPath: path, rawQuery, style: 'domain', domainName: host, requestPath: path };
}

/** The offset in `path` right after the base path `segments` (-1: no match); segments end at '/' or the end. */
function matchPrefix(path: string, segments: readonly string[]): number {
  let at = 0; // at a '/'
  for (const segment of segments) {
    if (path.charCodeAt(at) !== 47) return -1;
    const next = path.indexOf('/', at + 1);
    const raw = next === -1 ? path.slice(at + 1) : path.slice(at + 1, next);
    if (raw !== segment && decodeSafe(raw) !== segment) return -1;
    at = next === -1 ? path.length : next;
  }
  return at;
}

/** `Host` value → name without port (lower case), as custom domains are looked up. */
export function hostNameOf(host: string): string {
  const colon = host.lastIndexOf(':');
  const name = colon !== -1 && host.indexOf(']') < colon ? host.slice(0, colon) : host;
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/** A path segment decoded, or as it came when its percent-encoding is malformed (the stage name, a base path). */
export function decodeSafe(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
