// Test harness for the data plane: a Gatehouse driven through the AWS SDK, a local echo backend, and invoking
// deployed APIs over real HTTP, Host-style and path-style.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'undici';
import * as AG from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';

export { AG };

export interface Echoed {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  rawHeaders: string[];
  body: string;
  bodyBytes: Buffer;
}

/**
 * A backend that answers with what it received; `/status/{code}`, `/delay/{ms}`, `/raw/{text}`, `/big/{bytes}` and
 * `?respond-header=k:v` shape it.
 */
export interface EchoServer {
  url: string;
  port: number;
  requests: Echoed[];
  close(): Promise<void>;
}

function decodeRaw(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function startEcho(): Promise<EchoServer> {
  const requests: Echoed[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const bodyBytes = Buffer.concat(chunks);
      const body = bodyBytes.toString('utf8');
      const echoed = { method: req.method!, url: req.url!, headers: req.headers as Echoed['headers'], rawHeaders: req.rawHeaders, body };
      requests.push({ ...echoed, bodyBytes });
      const url = new URL(req.url!, 'http://x');
      const status = /^\/status\/(\d{3})/.exec(url.pathname);
      const delay = /^\/delay\/(\d+)/.exec(url.pathname);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Backend': 'echo' };
      for (const h of url.searchParams.getAll('respond-header')) {
        const i = h.indexOf(':');
        headers[h.slice(0, i)] = h.slice(i + 1);
      }
      const send = () => {
        const big = /^\/big\/(\d+)/.exec(url.pathname);
        const out = big
          ? Buffer.alloc(Number(big[1]), 'abcdefghij')
          : Buffer.from(url.pathname.startsWith('/raw/') ? decodeRaw(url.pathname.slice(5)) : JSON.stringify({ ...echoed, bodyLength: bodyBytes.length }));
        headers['Content-Length'] = String(out.length);
        res.writeHead(status ? Number(status[1]) : 200, headers);
        res.end(out);
      };
      if (delay) setTimeout(send, Number(delay[1]));
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Invoked {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  raw: Buffer;
  json(): any;
}

export interface InvokeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** 'host' (default): Host {apiId}.execute-api.us-east-1.amazonaws.com; 'path': /restapis/{id}/{stage}/_user_request_ */
  style?: 'host' | 'path';
}

export async function invoke(endpoint: string, apiId: string, stage: string, pathAndQuery: string, opts: InvokeOptions = {}): Promise<Invoked> {
  const style = opts.style ?? 'host';
  const url = style === 'host' ? `${endpoint}/${stage}${pathAndQuery}` : `${endpoint}/restapis/${apiId}/${stage}/_user_request_${pathAndQuery}`;
  const headers: Record<string, string> = { ...opts.headers };
  if (style === 'host') headers.host = `${apiId}.execute-api.us-east-1.amazonaws.com`;
  const res = await request(url, { method: (opts.method ?? 'GET') as 'GET', headers, body: opts.body });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const body = raw.toString('utf8');
  return { status: res.statusCode, headers: res.headers, body, raw, json: () => JSON.parse(body) };
}

/** Builds REST APIs through the AWS SDK. */
export class ApiBuilder {
  /** A Gatehouse in this process, or a spawned one's endpoint with its clients. */
  readonly gh: Pick<Running, 'endpoint' | 'apigateway'>;
  readonly apiId: string;
  readonly rootId: string;
  readonly #resources = new Map<string, string>();

  private constructor(gh: Pick<Running, 'endpoint' | 'apigateway'>, apiId: string, rootId: string) {
    this.gh = gh;
    this.apiId = apiId;
    this.rootId = rootId;
    this.#resources.set('/', rootId);
  }

  static async create(gh: Pick<Running, 'endpoint' | 'apigateway'>, input: Partial<AG.CreateRestApiCommandInput> = {}): Promise<ApiBuilder> {
    const api = await gh.apigateway.send(new AG.CreateRestApiCommand({ name: 'test', ...input }));
    const res = await gh.apigateway.send(new AG.GetResourcesCommand({ restApiId: api.id }));
    return new ApiBuilder(gh, api.id!, res.items!.find((r) => r.path === '/')!.id!);
  }

  /** The id of the resource at `path`, creating missing parts. */
  async resource(path: string): Promise<string> {
    const known = this.#resources.get(path);
    if (known) return known;
    const i = path.lastIndexOf('/');
    const parentPath = i === 0 ? '/' : path.slice(0, i);
    const parentId = await this.resource(parentPath);
    const r = await this.gh.apigateway.send(new AG.CreateResourceCommand({ restApiId: this.apiId, parentId, pathPart: path.slice(i + 1) }));
    this.#resources.set(path, r.id!);
    return r.id!;
  }

  async method(
    path: string,
    httpMethod: string,
    integration: Omit<AG.PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>,
    opts: {
      method?: Partial<AG.PutMethodCommandInput>;
      responses?: Array<{ statusCode: string; selectionPattern?: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string>; contentHandling?: AG.ContentHandlingStrategy; methodHeaders?: string[] }>;
    } = {},
  ): Promise<string> {
    const resourceId = await this.resource(path);
    const c = this.gh.apigateway;
    // AWS requires mapped method request parameters to be declared on the method.
    const declared: Record<string, boolean> = {};
    for (const source of Object.values(integration.requestParameters ?? {})) {
      if (/^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\./.test(source)) declared[source] = false;
    }
    for (const m of path.matchAll(/\{([^}+]+)\+?\}/g)) declared[`method.request.path.${m[1]}`] = true;
    await c.send(
      new AG.PutMethodCommand({
        restApiId: this.apiId,
        resourceId,
        httpMethod,
        authorizationType: 'NONE',
        ...opts.method,
        requestParameters: { ...declared, ...opts.method?.requestParameters },
      }),
    );
    await c.send(new AG.PutIntegrationCommand({ restApiId: this.apiId, resourceId, httpMethod, ...integration }));
    for (const r of opts.responses ?? []) {
      const responseParameters = Object.fromEntries((r.methodHeaders ?? Object.keys(r.responseParameters ?? {}).map((k) => k.slice('method.response.header.'.length))).map((h) => [`method.response.header.${h}`, false]));
      await c.send(new AG.PutMethodResponseCommand({ restApiId: this.apiId, resourceId, httpMethod, statusCode: r.statusCode, responseParameters }));
      await c.send(
        new AG.PutIntegrationResponseCommand({
          restApiId: this.apiId,
          resourceId,
          httpMethod,
          statusCode: r.statusCode,
          selectionPattern: r.selectionPattern,
          responseParameters: r.responseParameters,
          responseTemplates: r.responseTemplates,
          contentHandling: r.contentHandling,
        }),
      );
    }
    return resourceId;
  }

  async deploy(stageName = 'test', variables?: Record<string, string>): Promise<string> {
    const d = await this.gh.apigateway.send(new AG.CreateDeploymentCommand({ restApiId: this.apiId, stageName, variables }));
    return d.id!;
  }

  invoke(stage: string, pathAndQuery: string, opts?: InvokeOptions): Promise<Invoked> {
    return invoke(this.gh.endpoint, this.apiId, stage, pathAndQuery, opts);
  }
}

export { startGatehouse };
