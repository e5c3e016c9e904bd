// Where a request comes from, for PRIVATE endpoints and the `aws:SourceVpce` / `aws:SourceVpc` condition keys. On AWS
// a private API is reached only through interface VPC endpoints, and the request carries the endpoint's id. Here the
// operator says which client networks stand for which VPC endpoint (`gatehouse serve --vpc-endpoint
// vpce-1a2b3c4d=10.0.0.0/8,192.168.1.0/24@vpc-2f09a348`, repeatable): a request from such a network arrives
// "through" that endpoint. Behind a proxy that knows better, `--vpce-header-from CIDR` trusts the `x-amzn-vpce-id`
// header (the header AWS itself adds towards backends) from those peers only; anyone else's header is ignored.
import { isIP } from 'node:net';
import { conditionHolds, parseOperator } from '../../auth/policy/conditions.ts';

export interface VpcEndpointNetwork {
  /** vpce-… */
  id: string;
  /** vpc-…, when configured. */
  vpcId: string | undefined;
  cidrs: string[];
}

export interface SourceNetworkOptions {
  endpoints: VpcEndpointNetwork[];
  /** Peers whose `x-amzn-vpce-id` header is believed. */
  trustedHeaderPeers: string[];
}

const IP_ADDRESS = parseOperator('IpAddress');
const LIMIT = 10_000;

export class SourceNetworks {
  readonly #endpoints: VpcEndpointNetwork[];
  readonly #trusted: string[];
  readonly #byId: Map<string, VpcEndpointNetwork>;
  /** Source address → the endpoint its network stands for (null: none); addresses repeat, the CIDR walk is cached. */
  readonly #byAddress = new Map<string, VpcEndpointNetwork | null>();
  readonly #trustedAddress = new Map<string, boolean>();

  constructor(opts: SourceNetworkOptions) {
    this.#endpoints = opts.endpoints;
    this.#trusted = opts.trustedHeaderPeers;
    this.#byId = new Map(opts.endpoints.map((e) => [e.id, e]));
  }

  get configured(): boolean {
    return this.#endpoints.length > 0 || this.#trusted.length > 0;
  }

  /** The VPC endpoint a request came through, if any. */
  endpointOf(sourceIp: string, vpceHeader: string | undefined): { id: string; vpcId: string | undefined } | undefined {
    if (vpceHeader !== undefined && this.#trusted.length > 0 && this.#isTrusted(sourceIp)) {
      const id = vpceHeader.trim();
      if (/^vpce-[0-9a-z]{1,32}$/.test(id)) return { id, vpcId: this.#byId.get(id)?.vpcId };
    }
    if (this.#endpoints.length === 0) return undefined;
    let hit = this.#byAddress.get(sourceIp);
    if (hit === undefined) {
      hit = this.#endpoints.find((e) => conditionHolds(IP_ADDRESS, e.cidrs, plainIp(sourceIp))) ?? null;
      if (this.#byAddress.size >= LIMIT) this.#byAddress.clear();
      this.#byAddress.set(sourceIp, hit);
    }
    return hit ?? undefined;
  }

  #isTrusted(sourceIp: string): boolean {
    let hit = this.#trustedAddress.get(sourceIp);
    if (hit === undefined) {
      hit = conditionHolds(IP_ADDRESS, this.#trusted, plainIp(sourceIp));
      if (this.#trustedAddress.size >= LIMIT) this.#trustedAddress.clear();
      this.#trustedAddress.set(sourceIp, hit);
    }
    return hit;
  }
}

/** An IPv4 peer on a dual-stack socket reads `::ffff:10.0.0.1`; policies name it `10.0.0.1`. */
export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** `vpce-ID=CIDR[,CIDR…][@vpc-ID]`, as `--vpc-endpoint` takes it; undefined when malformed. */
export function parseVpcEndpoint(text: string): VpcEndpointNetwork | undefined {
  const m = /^(vpce-[0-9a-z]{1,32})=([^@]+?)(?:@(vpc-[0-9a-z]{1,32}))?$/.exec(text.trim());
  if (!m) return undefined;
  const cidrs = m[2]!.split(',').map((c) => c.trim());
  if (cidrs.length === 0 || !cidrs.every(isCidr)) return undefined;
  return { id: m[1]!, vpcId: m[3], cidrs };
}

export function isCidr(text: string): boolean {
  const [base, bits, extra] = text.split('/');
  if (extra !== undefined || base === undefined) return false;
  const family = isIP(base);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  return n >= 0 && n <= (family === 4 ? 32 : 128);
}
