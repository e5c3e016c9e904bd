// The request layer of Gatehouse's generated TypeScript clients, shipped as `runtime.ts` beside `client.ts`:
// path, query and header parameters placed, the API key sent as x-api-key, requests signed with AWS Signature
// Version 4 for execute-api through WebCrypto (the AWS General Reference's "Create a signed AWS API request"),
// sent with fetch, JSON answers parsed. No dependencies; erasable TypeScript (Node 22.6+ runs it as it is);
// browsers and Node 19+ (fetch and globalThis.crypto).

export interface ClientConfig {
  /** Where the stage is served; defaults to the URL the SDK was generated for. */
  invokeUrl?: string;
  /** Credentials: requests to AWS_IAM (and NONE) methods are signed when both keys are given. */
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  /** The signing region; defaults to the API's. */
  region?: string;
  /** Sent as x-api-key. */
  apiKey?: string;
  defaultContentType?: string;
  defaultAcceptType?: string;
  /** Another fetch (a test double, a proxy agent). */
  fetch?: typeof fetch;
}

/** Headers and query parameters added to one call, and its abort signal. */
export interface RequestOptions {
  headers?: Record<string, string>;
  queryParams?: Record<string, string | string[]>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  statusText: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON when it is JSON, else the text. */
  data: T;
}

/** Any answer outside 2xx. */
export class ApiError extends Error {
  readonly response: ApiResponse<unknown>;
  constructor(response: ApiResponse<unknown>) {
    super(`Request failed with status code ${response.status}`);
    this.name = 'ApiError';
    this.response = response;
  }
}

/** One method of the API, as the generated client describes it. */
export interface OperationSpec {
  verb: string;
  /** The resource path template, `/pets/{petId}`. */
  path: string;
  /** Signed when the client has credentials (AWS_IAM and NONE methods). */
  sign: boolean;
  pathParams: readonly string[];
  queryParams: readonly string[];
  headerParams: readonly string[];
}

export type Params = Record<string, string | number | boolean | readonly string[] | undefined>;

const encoder = new TextEncoder();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', typeof data === 'string' ? encoder.encode(data) : data));
}

/** The body as sent: a string, binary data (signed byte for byte), or anything else as JSON. */
async function payloadOf(body: unknown): Promise<string | Uint8Array<ArrayBuffer>> {
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  return JSON.stringify(body);
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const k = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return globalThis.crypto.subtle.sign('HMAC', k, encoder.encode(data));
}

/** `{name}` → one encoded segment; greedy `{name+}` keeps its slashes. */
function expandPath(template: string, params: Params): string {
  return template.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
    const v = params[name + greedy] ?? params[name];
    if (v === undefined) throw new Error(`${name} must be defined`);
    const s = String(v);
    return greedy ? s.split('/').map(rfc3986).join('/') : rfc3986(s);
  });
}

function queryPairs(query: Record<string, string | readonly string[]>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v as string]) pairs.push([rfc3986(k), rfc3986(String(one))]);
  return pairs;
}

export class Transport {
  readonly #config: ClientConfig;
  readonly #endpoint: string;
  readonly #basePath: string;
  readonly #region: string;

  constructor(config: ClientConfig, defaults: { invokeUrl: string; region: string }) {
    this.#config = config;
    const url = new URL(config.invokeUrl ?? defaults.invokeUrl);
    this.#endpoint = url.origin;
    this.#basePath = url.pathname.replace(/\/$/, '');
    this.#region = config.region || defaults.region;
  }

  async send<T>(op: OperationSpec, params: object | undefined, body: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const p = (params ?? {}) as Params;
    const path = this.#basePath + expandPath(op.path, p);
    const query: Record<string, string | readonly string[]> = {};
    for (const name of op.queryParams) {
      const v = p[name];
      if (v !== undefined) query[name] = Array.isArray(v) ? (v as readonly string[]) : String(v);
    }
    Object.assign(query, options.queryParams);
    const headers: Record<string, string> = { Accept: this.#config.defaultAcceptType ?? 'application/json' };
    for (const name of op.headerParams) if (p[name] !== undefined) headers[name] = String(p[name]);
    if (this.#config.apiKey) headers['x-api-key'] = this.#config.apiKey;
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (body !== undefined && body !== null && op.verb !== 'GET' && op.verb !== 'HEAD') {
      payload = await payloadOf(body);
      headers['Content-Type'] = this.#config.defaultContentType ?? 'application/json';
    }
    Object.assign(headers, options.headers);

    const pairs = queryPairs(query);
    const queryString = pairs.map(([k, v]) => `${k}=${v}`).join('&');
    if (op.sign && this.#config.accessKey && this.#config.secretKey) await this.#sign(op.verb, path, pairs, headers, payload ?? '');

    const doFetch = this.#config.fetch ?? globalThis.fetch;
    const res = await doFetch(`${this.#endpoint}${path}${queryString ? `?${queryString}` : ''}`, {
      method: op.verb,
      headers,
      body: payload,
      signal: options.signal,
    });
    const text = await res.text();
    let data: unknown = text;
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    const response: ApiResponse<T> = { status: res.status, statusText: res.statusText, headers: responseHeaders, data: data as T };
    if (res.status < 200 || res.status > 299) throw new ApiError(response);
    return response;
  }

  async #sign(verb: string, path: string, query: Array<[string, string]>, headers: Record<string, string>, payload: string | Uint8Array<ArrayBuffer>): Promise<void> {
    const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = now.slice(0, 8);
    headers['x-amz-date'] = now;
    if (this.#config.sessionToken) headers['x-amz-security-token'] = this.#config.sessionToken;
    const canonical: Record<string, string> = { host: new URL(this.#endpoint).host };
    for (const [k, v] of Object.entries(headers)) canonical[k.toLowerCase()] = v.trim().replace(/\s+/g, ' ');
    const names = Object.keys(canonical).sort();
    const sortedQuery = [...query].sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
    const canonicalRequest = [
      verb,
      path.split('/').map(rfc3986).join('/'),
      sortedQuery.map(([k, v]) => `${k}=${v}`).join('&'),
      names.map((n) => `${n}:${canonical[n]}\n`).join(''),
      names.join(';'),
      await sha256Hex(payload),
    ].join('\n');
    const scope = `${day}/${this.#region}/execute-api/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', now, scope, await sha256Hex(canonicalRequest)].join('\n');
    let key: ArrayBuffer = await hmac(encoder.encode(`AWS4${this.#config.secretKey}`), day);
    for (const part of [this.#region, 'execute-api', 'aws4_request']) key = await hmac(key, part);
    const signature = hex(await hmac(key, stringToSign));
    headers.Authorization = `AWS4-HMAC-SHA256 Credential=${this.#config.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  }
}
