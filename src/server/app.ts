// Gatehouse in one process: the store, the AWS control services, the data plane and the product endpoints on
// one node:http listener.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { AwsService, type ServiceEnv } from '../aws/service.ts';
import { QueryService } from '../aws/query-protocol.ts';
import { JsonService } from '../aws/json-protocol.ts';
import { LogStore } from '../observe/logs/log-store.ts';
import { LOG_STORE, logsHandlers } from '../observe/logs/handlers.ts';
import { RequestLog } from '../observe/request-log.ts';
import { RequestObserver } from '../observe/request-observer.ts';
import { AuditTrail } from '../observe/audit-trail.ts';
import { lambdaLogSink } from '../observe/lambda-logs.ts';
import { iamHandlers, stsHandlers } from '../identity/index.ts';
import { ensureBootstrapIdentity, type BootstrapIdentity } from '../identity/bootstrap.ts';
import { IdentityDirectory } from '../identity/directory.ts';
import { SourceNetworks } from '../execute/authorization/networks.ts';
import { createControlAuthorizer } from '../identity/control-permissions.ts';
import { createSignatureVerifier } from '../auth/sigv4-verify.ts';
import { AwsError, BadRequestException, UnknownOperationException } from '../aws/errors.ts';
import type { Services } from '../aws/operation.ts';
import { apigatewayHandlers } from '../control/index.ts';
import { apiMappingHandlers } from '../control/api-mappings.ts';
import { apiDomainNameHandlers } from '../control/api-domain-names.ts';
import { CustomDomains } from '../execute/custom-domains.ts';
import { APIGATEWAY_BINDING } from '../control/validation-texts.ts';
import { lambdaHandlers } from '../functions/handlers.ts';
import { createFunctionsService } from '../functions/index.ts';
import { AWS_SERVICE_ACCESS, type AwsServiceAccess } from '../execute/integrations/aws-service.ts';
import { AwsEndpoints } from '../execute/integrations/aws-endpoints.ts';
import { IntegrationCredentials } from '../execute/integrations/aws-credentials.ts';
import { lambdaRequestTooLarge, MAX_UPLOAD_REQUEST_BYTES } from '../functions/code-storage.ts';
import { createDataPlane, type DataPlane } from '../execute/data-plane.ts';
import { createTraffic } from '../traffic/traffic.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import { SqliteStore } from '../store/sqlite.ts';
import { PostgresStore } from '../store/postgres.ts';
import { prepareDataDir } from '../store/data-dir.ts';
import type { Store } from '../store/store.ts';
import type { GatehouseConfig } from './config.ts';
import { ControlGuard, writeAwsError } from './control-guard.ts';
import { destinationOf } from './dispatch.ts';
import { HostPolicy, UnservedHost } from './hosts.ts';
import { handleProduct, isPublicProductEndpoint } from './product.ts';
import { warnOnUnenforcedSettings } from '../observe/unenforced.ts';
import { MetricStore } from '../observe/metrics-store.ts';
import { MetricJournal } from '../observe/metrics-journal.ts';
import { PrometheusMetrics } from '../observe/prometheus.ts';
import { ApiMetrics } from '../observe/request-metrics.ts';
import { FunctionMetrics } from '../observe/function-metrics.ts';
import { cloudwatchHandlers, METRIC_STORE } from '../observe/cloudwatch-api.ts';
import { QueryCompatibleJsonService } from '../aws/json-query-compatible.ts';
import { Tracer } from '../observe/tracing.ts';
import { OtlpExporter } from '../observe/otlp-exporter.ts';
import { createTlsListener } from './tls.ts';
import { UserPoolKeys } from '../auth/jwt/user-pool-keys.ts';
import { fileKeyring, type LocalKeyring } from '../auth/jwt/local-keys.ts';
import { POOL_KEYS_COLLECTION, storedKeyring, type StoredKeyring } from '../auth/jwt/stored-keys.ts';
import { CA_COLLECTION, fileCaKeeper, storedCaKeeper } from './tls-ca.ts';
import { UserPoolTokens } from '../auth/jwt/user-pool-tokens.ts';
import { DEFAULT_JWKS_LIMITS } from '../auth/jwt/jwks.ts';
import { USER_POOL_TOKENS } from '../execute/authorization/cognito-authorizer.ts';
import { ConfigError } from './startup-errors.ts';
import { Health } from './health.ts';
import { RedisLink } from '../redis/redis-link.ts';
import { ClusterEvents, CLUSTER_EVENTS } from '../redis/cluster-events.ts';
import { RedisCounters } from '../traffic/redis-counters.ts';
import { storeJournal } from '../traffic/usage-journal.ts';
import { RedisResponseCache } from '../cache/redis-response-cache.ts';
import { GatewayError } from '../execute/responses/gateway-errors.ts';
import { lambdaAuthorizersOf } from '../execute/authorization/lambda-authorizer.ts';
import { ensureMetricsToken, metricsAccess, type MetricsAccess } from './metrics-access.ts';

const MAX_CONTROL_BODY = 10 * 1024 * 1024;

export interface Gatehouse {
  readonly config: GatehouseConfig;
  readonly server: Server;
  readonly store: Store;
  readonly services: Services;
  /** Prometheus metrics served at /_gatehouse/metrics. */
  readonly prometheus: PrometheusMetrics;
  /** Which Host names are served (custom-domain routing installs its lookup here). */
  readonly hosts: HostPolicy;
  /** The origin and signature-shape screen of control requests. */
  readonly controlGuard: ControlGuard;
  /** Custom domain names as the data plane routes them. */
  readonly domains: CustomDomains;
  /** The bootstrap administrator's access key (created at first start), once listening. */
  readonly bootstrap: BootstrapIdentity | undefined;
  /** Live and ready answers of /_gatehouse/health (components register their checks here). */
  readonly health: Health;
  /** Scale-out mode's Redis connection (`--redis-url`); undefined in-process. */
  readonly redis: RedisLink | undefined;
  /** Where local user pools' signing keys are kept (the data directory, or the store in scale-out mode). */
  readonly localPoolKeys: LocalKeyring;
  /** The HTTPS listener (`--tls-port`), once listening. */
  readonly tls: { server: Server; port: number; caFile: string; notice: string } | undefined;
  /** Who may read /_gatehouse/metrics (src/server/metrics-access.ts); open until listening. */
  readonly metricsAccess: MetricsAccess | undefined;
  /** The file holding the bearer token of /_gatehouse/metrics under --require-auth, once listening. */
  readonly metricsTokenFile: string | undefined;
  /** Resolves with the bound port (the plain-HTTP one; `tls.port` is the HTTPS one). */
  listen(): Promise<number>;
  /** Stops accepting, finishes in-flight requests, closes the store. */
  close(): Promise<void>;
  /** Dev-mode reset: wipes all state. */
  reset(): Promise<void>;
}

/** What a request gets when its limits cannot be checked (Redis unavailable, --redis-failure closed). */
function redisUnavailable(): GatewayError {
  return new GatewayError('DEFAULT_5XX', 'Service Unavailable', {
    status: 503,
    errorType: 'ServiceUnavailableException',
    logLine: 'Execution failed: throttling and quota limits could not be checked (Redis is unavailable and --redis-failure is closed)',
  });
}

/** A control or product call from inside a function's sandbox, refused as AWS refuses a request without valid credentials. */
class FunctionCaller extends AwsError {
  constructor() {
    super('UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
  }
}

/** What tests inject: the clock every part reads (request times, quota periods, usage days, signature windows). */
export interface GatehouseDeps {
  now?: () => Date;
  /** The stage caches' adapter (in-process by default). */
  responseCache?: ResponseCache;
}

/**
 * Embedded mode: SQLite in the data directory, which it locks (one process). Scale-out mode (`databaseUrl`):
 * PostgreSQL shared by every node; the data directory then holds only this node's own files and is not locked.
 */
function openStore(config: GatehouseConfig): Store {
  if (!config.databaseUrl) return new SqliteStore(resolve(config.dataDir));
  if (config.hotReloadRoots.length) {
    throw new ConfigError('--hot-reload-root lets functions run directories of this machine: not available with --database-url (several nodes must run the same code); deploy zips instead');
  }
  prepareDataDir(resolve(config.dataDir));
  return new PostgresStore(config.databaseUrl);
}

export function createGatehouse(config: GatehouseConfig, deps: GatehouseDeps = {}): Gatehouse {
  const store = openStore(config);
  const services: Services = {};
  const resetHooks: Array<() => Promise<void> | void> = [];
  services.resetHooks = resetHooks;
  // GATEHOUSE_DEBUG=1 shows what is normal but sometimes worth seeing (clients that disconnect before their answer).
  const debug = process.env.GATEHOUSE_DEBUG === '1' ? (line: string) => void process.stderr.write(`debug: ${line}\n`) : undefined;
  const env: ServiceEnv = { store, accountId: config.accountId, defaultRegion: config.defaultRegion, services, now: deps.now ?? (() => new Date()), debug };
  // --require-auth: every control request's SigV4 signature is verified against the stored access keys (src/auth),
  // then the caller's identity policies must allow the call (src/identity/control-permissions.ts).
  // Access keys, their owners and policies in memory, dropped on IAM/STS writes: AWS_IAM methods on the data plane
  // and the control APIs' checks read no store per request.
  const identities = new IdentityDirectory(store, config.accountId);
  if (config.requireAuth) {
    env.authorize = createControlAuthorizer({ store, identities, accountId: config.accountId, now: env.now });
    env.authenticate = createSignatureVerifier({
      now: env.now,
      lookup: async (accessKeyId) => (await identities.get(accessKeyId))?.signing,
    });
  }
  const networks = new SourceNetworks({ endpoints: config.vpcEndpoints ?? [], trustedHeaderPeers: config.vpceHeaderFrom ?? [] });

  const apigateway = new AwsService({
    modelFile: 'apigateway-2015-07-09.json',
    handlers: apigatewayHandlers,
    binding: APIGATEWAY_BINDING,
    maxBodyBytes: MAX_CONTROL_BODY,
    unknownOperation: (method, path) => new UnknownOperationException(`No operation matches ${method} ${path}`),
    unavailable: (op) => new BadRequestException(`${op} is not available in this version of Gatehouse`),
  });
  const lambda = new AwsService({
    modelFile: 'lambda-2015-03-31.json',
    handlers: lambdaHandlers,
    messageKey: 'Message',
    maxBodyBytes: MAX_UPLOAD_REQUEST_BYTES,
    tooLarge: lambdaRequestTooLarge,
    unknownOperation: (method, path) => new AwsError('UnknownOperationException', 404, `No operation matches ${method} ${path}`, { extra: { Type: 'User' } }),
    unavailable: (op) => new AwsError('InvalidRequestContentException', 400, `${op} is not available in this version of Gatehouse`, { extra: { Type: 'User' } }),
  });
  // apigatewayv2: only its custom domain names and API mappings (multi-level base paths) are served, on the same
  // domains as the apigateway API's.
  const apigatewayv2 = new AwsService({
    modelFile: 'apigatewayv2-2018-11-29.json',
    handlers: { ...apiDomainNameHandlers, ...apiMappingHandlers },
    maxBodyBytes: MAX_CONTROL_BODY,
    unknownOperation: (method, path) => new UnknownOperationException(`No operation matches ${method} ${path}`),
    unavailable: (op) => new BadRequestException(`${op} is not available in this version of Gatehouse (apigatewayv2 serves domain names and API mappings only)`),
  });
  // IAM and STS speak awsQuery (form-encoded requests, XML answers); their entities are global, not regional.
  const iam = new QueryService({ modelFile: 'iam-2010-05-08.json', handlers: iamHandlers, maxBodyBytes: MAX_CONTROL_BODY });
  const sts = new QueryService({ modelFile: 'sts-2011-06-15.json', handlers: stsHandlers, maxBodyBytes: MAX_CONTROL_BODY });
  // CloudWatch Logs speaks awsJson1.1 (X-Amz-Target); its groups, streams and events live in the store.
  const logStore = new LogStore(store, config.accountId, env.now);
  services[LOG_STORE] = logStore;
  resetHooks.push(() => logStore.reset());
  const logs = new JsonService({
    modelFile: 'logs-2014-03-28.json',
    handlers: logsHandlers,
    maxBodyBytes: MAX_CONTROL_BODY,
    unavailable: (op) => new AwsError('InvalidParameterException', 400, `${op} is not available in this version of Gatehouse`),
  });
  // CloudWatch metrics (awsQuery, as the aws CLI v2's model declares): AWS/ApiGateway and AWS/Lambda metrics and
  // whatever PutMetricData adds, answered from memory (src/observe/metrics-store.ts) and kept in the store in
  // batches (src/observe/metrics-journal.ts, loaded in the background once listening starts).
  const monitoring = new QueryService({ modelFile: 'monitoring-2010-08-01.json', handlers: cloudwatchHandlers, maxBodyBytes: MAX_CONTROL_BODY });
  // …and awsJson1.0 (awsQueryCompatible), which SDKs newer than that model send with X-Amz-Target.
  const monitoringJson = new QueryCompatibleJsonService({ modelFile: 'monitoring-2010-08-01.json', handlers: cloudwatchHandlers, maxBodyBytes: MAX_CONTROL_BODY, targetPrefix: 'GraniteServiceVersion20100801' });
  const metricStore = new MetricStore({ now: () => env.now().getTime() });
  services[METRIC_STORE] = metricStore;
  const metricJournal = new MetricJournal(store, metricStore, { now: () => env.now().getTime() });
  const prometheus = new PrometheusMetrics();
  // tracingEnabled stages send OpenTelemetry spans to the configured collector; without one they are named in a WARN
  // line (src/observe/unenforced.ts) rather than silently untraced.
  const tracer = config.otlpTracesUrl ? new Tracer(new OtlpExporter({ url: config.otlpTracesUrl }), () => env.now().getTime()) : undefined;
  if (tracer) services.tracer = tracer;
  resetHooks.push(() => {
    metricStore.clear();
    metricJournal.reset();
    prometheus.reset();
  });
  const awsServices = new Map<string, AwsService | QueryService | JsonService>([
    ['logs', logs],
    ['apigateway', apigateway],
    ['apigatewayv2', apigatewayv2],
    ['lambda', lambda],
    ['iam', iam],
    ['sts', sts],
    ['monitoring', monitoring],
  ]);
  const functions = createFunctionsService({
    logSink: lambdaLogSink(logStore, env.now),
    store,
    dataDir: resolve(config.dataDir),
    scaleOut: config.databaseUrl !== undefined,
    accountId: config.accountId,
    now: env.now,
    hotReloadRoots: config.hotReloadRoots,
    options: { unsafeFunctions: config.unsafeFunctions ?? false },
    metrics: new FunctionMetrics(metricStore, () => env.now().getTime(), prometheus),
    tracer,
  });
  if (functions) {
    services.functions = functions;
    resetHooks.push(() => functions.reset());
  }
  // AWS service integrations: endpoints from AWS_ENDPOINT_URL_*, credentials from roles or the environment.
  const integrationCredentials = new IntegrationCredentials(store, config.accountId, env.now, config.awsCredentials);
  const awsServiceAccess: AwsServiceAccess = { endpoints: new AwsEndpoints(config.awsEndpointUrls ?? {}), credentials: integrationCredentials, now: env.now };
  services[AWS_SERVICE_ACCESS] = awsServiceAccess;
  // Cognito user-pool authorizers verify tokens with the keys of --user-pool-jwks URLs or of local pools, whose keys
  // every node must share in scale-out mode (in the store), like Gatehouse's own TLS CA.
  const warnLine = (line: string) => void process.stderr.write(`${line}\n`);
  const sharedKeys: StoredKeyring | undefined = store instanceof PostgresStore ? storedKeyring(store, resolve(config.dataDir), warnLine) : undefined;
  const localPoolKeys: LocalKeyring = sharedKeys ?? fileKeyring(resolve(config.dataDir));
  services[USER_POOL_TOKENS] = new UserPoolTokens(
    new UserPoolKeys({
      keyring: localPoolKeys,
      jwksUrls: new Map(Object.entries(config.userPoolJwks ?? {})),
      limits: { ...DEFAULT_JWKS_LIMITS, timeoutMs: config.userPoolJwksTimeoutMs ?? DEFAULT_JWKS_LIMITS.timeoutMs },
      refetchIntervalMs: config.userPoolJwksRefetchMs,
      warn: (line) => void process.stderr.write(`${line}\n`),
    }),
  );
  // Scale-out mode: throttles, quotas, usage and the stage cache shared through Redis by every node; the Lambda
  // authorizer results stay per node, flushed on all of them through Redis pub/sub (src/redis/cluster-events.ts).
  const health = new Health();
  health.register('store', { required: true, probe: async () => (await store.read((tx) => tx.get('health', 'probe')), { status: 'ok' }) });
  // Scale-out: a node that does not hear the other nodes' changes would serve stale configuration.
  if (store instanceof PostgresStore) {
    const pg = store;
    health.register('notifications', { required: true, probe: () => (pg.listening ? { status: 'ok' } : { status: 'unavailable', error: 'not listening for changes (reconnecting)' }) });
  }
  const redis = config.redisUrl ? new RedisLink({ url: config.redisUrl, failure: config.redisFailure, prefix: config.redisPrefix }) : undefined;
  if (redis) health.register('redis', { required: config.redisFailure === 'closed', probe: () => redis.ping() });
  // Throttles, quotas and usage: counted in memory (usage and quota counts written to the store in batches), or in
  // Redis (src/traffic/redis-counters.ts).
  const traffic = createTraffic({
    store,
    accountThrottle: config.accountThrottle,
    counters: redis && new RedisCounters(redis, storeJournal(store), { unavailable: redisUnavailable }),
  });
  services.traffic = traffic;
  resetHooks.push(() => traffic.counters.reset());
  // A line per request on stdout (text or JSON), access and execution logs into CloudWatch Logs groups.
  const requestLog = new RequestLog({ format: config.logFormat, level: config.logLevel });
  services.requestLog = requestLog;
  const observer = new RequestObserver({ logs: logStore, requestLog });
  // Every control call: a CloudTrail-shaped record in /gatehouse/audit and, like execute-api requests, a line in the
  // process log.
  const audit = new AuditTrail({ logs: logStore, accountId: config.accountId, now: env.now, identities: config.requireAuth ? identities : undefined });
  env.observe = (req, call, outcome) => {
    if (call) audit.record(call, { ...outcome, userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined });
    requestLog.request({
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      target: call ? `${call.service}:${call.operation}` : '-',
      status: outcome.status,
      latencyMs: outcome.latencyMs,
      requestId: outcome.requestId,
      cause: outcome.status >= 500 && outcome.errorCode ? `${outcome.errorCode}: ${outcome.errorMessage ?? ''}` : undefined,
    });
  };
  const dataPlane: DataPlane = createDataPlane({
    store, accountId: config.accountId, now: env.now, nowMs: deps.now ? undefined : Date.now, services, traffic, debug, identities, networks,
    responseCache: deps.responseCache ?? (redis && new RedisResponseCache(redis, { now: () => env.now().getTime() })), metrics: new ApiMetrics(metricStore, prometheus), tracer,
    completed: (inv, status, failure, length) => observer.completed(inv, status, failure, length),
  });
  services.dataPlane = dataPlane;
  const clusterEvents = redis && new ClusterEvents(redis, {
    flushStageAuthorizers: (apiId, stage) => lambdaAuthorizersOf(services).cache.flushStage(apiId, stage),
    flushAllAuthorizers: () => lambdaAuthorizersOf(services).cache.clear(),
  });
  if (clusterEvents) services[CLUSTER_EVENTS] = clusterEvents;

  const domains = new CustomDomains(store, config.defaultRegion);
  // Settings stored but not enforced yet are named in a WARN line when a control call stores them.
  const stopUnenforcedWarnings = warnOnUnenforcedSettings(store, undefined, tracer !== undefined);
  const hosts = new HostPolicy({ publicHosts: config.publicHosts, isCustomDomain: (name) => domains.isCustomDomain(name) });
  const controlGuard = new ControlGuard(config.corsOrigins);

  const gatehouse: Gatehouse = {
    config,
    server: undefined as unknown as Server,
    store,
    services,
    prometheus,
    hosts,
    controlGuard,
    domains,
    bootstrap: undefined,
    health,
    redis,
    localPoolKeys,
    tls: undefined,
    metricsAccess: undefined,
    metricsTokenFile: undefined,
    listen,
    close,
    reset,
  };

  function onRequest(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    // While custom domains reload after a control call, wait: a new mapping answers as soon as its call has.
    const reloading = domains.pending();
    if (reloading) return reloading.then(() => onRequest(req, res));
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const dest = destinationOf(req, rawPath, rawQuery);
    // A custom domain's Host serves its APIs only, whatever the path; `{apiId}.execute-api.*` names stay AWS's.
    if (dest.kind !== 'execute' || dest.target.style !== 'host') {
      const domainTarget = domains.target(req.headers.host, rawPath, rawQuery);
      if (domainTarget) return dataPlane.handle(req, res, domainTarget);
    }
    // `{apiId}.execute-api.*` hosts were recognised by dispatch; every other request needs a Host Gatehouse serves.
    if ((dest.kind !== 'execute' || dest.target.style !== 'host') && !hosts.serves(req.headers.host)) {
      return writeAwsError(req, res, new UnservedHost(req.headers.host ?? ''));
    }
    // Functions have no credentials (no execution role): their control and product calls are refused, except for
    // public data (a local user pool's JWKS, which a function verifying tokens itself needs).
    const publicData = dest.kind === 'product' && isPublicProductEndpoint(dest.endpoint);
    if (dest.kind !== 'execute' && !publicData && functions.isFunctionPeer(req.socket)) return writeAwsError(req, res, new FunctionCaller());
    switch (dest.kind) {
      case 'product':
        return handleProduct(req, res, dest.endpoint, gatehouse, rawQuery);
      case 'execute':
        return dataPlane.handle(req, res, dest.target);
      case 'service': {
        const query = new URLSearchParams(rawQuery);
        if (controlGuard.screen(req, res, query)) return;
        const svc = dest.service === 'monitoring' && monitoringJson.accepts(req) ? monitoringJson : (awsServices.get(dest.service) ?? apigateway);
        return svc.handle(req, res, env, rawPath, query);
      }
    }
  }

  function internalError(err: unknown, res: ServerResponse): void {
    console.error('unhandled request error', err);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'InternalFailure' });
    }
    res.end(JSON.stringify({ message: 'Internal server error' }));
  }

  function requestListener(req: IncomingMessage, res: ServerResponse): void {
    // Most execute-api requests (MOCK, errors) are answered synchronously: no promise per request for those.
    let pending: void | Promise<void>;
    try {
      pending = onRequest(req, res);
    } catch (err) {
      internalError(err, res);
      return;
    }
    if (pending) pending.catch((err: unknown) => internalError(err, res));
  }
  const server = createServer({ keepAliveTimeout: 65_000 }, requestListener);
  // Requests node:http cannot parse still get an AWS-shaped answer.
  server.on('clientError', onClientError);
  function onClientError(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
    if (!socket.writable) return;
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({ message: tooLarge ? 'Request header fields too large' : 'Malformed HTTP request' });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json\r\n` +
        `x-amzn-ErrorType: BadRequestException\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  (gatehouse as { server: Server }).server = server;

  function listenOn(s: Server, port: number): Promise<number> {
    return new Promise((resolveListen, reject) => {
      s.once('error', reject);
      s.listen(port, config.host, () => {
        s.off('error', reject);
        const addr = s.address();
        resolveListen(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async function listen(): Promise<number> {
    if (store instanceof PostgresStore) await store.ready; // unreachable database, newer schema: said before listening
    await domains.pending();
    // A node starts even when Redis is down (the failure policy applies until it connects), after a short wait so
    // that its first requests do not meet a connection still being made.
    if (redis && !(await redis.waitReady(2000))) {
      process.stderr.write(`WARN Redis (--redis-url) is not reachable yet: --redis-failure ${config.redisFailure} applies until it is\n`);
    }
    (gatehouse as { bootstrap: Gatehouse['bootstrap'] }).bootstrap = await ensureBootstrapIdentity(store, resolve(config.dataDir), config.accountId, env.now());
    // Key files of a data directory used before scale-out (or copied between nodes) join the shared keys.
    await sharedKeys?.importFiles();
    // In the background: the CloudWatch API's reads wait for it, requests do not.
    void metricJournal.start().catch((err: unknown) => process.stderr.write(`gatehouse: stored metrics could not be loaded: ${(err as Error).message}\n`));
    if (config.requireAuth) {
      const { file, token } = ensureMetricsToken(resolve(config.dataDir));
      Object.assign(gatehouse, { metricsAccess: metricsAccess(env, token), metricsTokenFile: file });
    }
    const port = await listenOn(server, config.port);
    if (config.tlsPort !== undefined) {
      const ca = store instanceof PostgresStore ? storedCaKeeper(store, resolve(config.dataDir), warnLine) : fileCaKeeper(resolve(config.dataDir));
      const tls = await createTlsListener({ certFile: config.tlsCert, keyFile: config.tlsKey, ca }, domains, requestListener);
      tls.server.on('clientError', onClientError);
      // Named as the TLS port's failure (the startup error for the plain port would name --port).
      const tlsPort = await listenOn(tls.server, config.tlsPort).catch((err: NodeJS.ErrnoException) => {
        throw new ConfigError(`cannot serve HTTPS on ${config.host}:${config.tlsPort} (--tls-port): ${err.code === 'EADDRINUSE' ? 'the port is already in use (EADDRINUSE)' : (err.code ?? err.message)}`);
      });
      (gatehouse as { tls: Gatehouse['tls'] }).tls = { server: tls.server, port: tlsPort, caFile: tls.caFile, notice: tls.notice };
    }
    return port;
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      health.drain();
      const servers = gatehouse.tls ? [server, gatehouse.tls.server] : [server];
      // Drain: no new connections; in-flight requests finish. A keep-alive connection whose request finishes during
      // the drain is idle from then on, and close() alone would wait for its keep-alive timeout (65 s): such
      // connections are closed as they become idle.
      const idleSweep = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 50);
      await Promise.all(
        servers.map((s) => new Promise<void>((r) => {
          s.close(() => r());
          s.closeIdleConnections();
        })),
      );
      clearInterval(idleSweep);
      domains.close();
      await domains.pending(); // a reload still reading must not meet a closed store
      stopUnenforcedWarnings();
      identities.close();
      await dataPlane.close();
      await traffic.counters.close(); // writes the last usage counts
      clusterEvents?.close();
      await redis?.close();
      await functions?.close();
      integrationCredentials.close();
      sharedKeys?.close();
      await tracer?.exporter.close(); // the last spans
      await metricJournal.close(); // the last metrics
      await logStore.close(); // writes the last queued log events
      await requestLog.close();
      for (const hook of (services.closeHooks as Array<() => Promise<void>> | undefined) ?? []) await hook();
      await store.close();
    })();
    return closing;
  }

  async function reset(): Promise<void> {
    // Scale-out mode keeps in the store what embedded mode keeps in data-directory files, which a reset leaves alone
    // (the CA clients trust, local pools' keys tokens were signed with): they survive the wipe in both modes.
    const survive = sharedKeys ? [CA_COLLECTION, POOL_KEYS_COLLECTION] : [];
    const kept = await store.read((tx) => Promise.all(survive.map(async (collection) => ({ collection, items: await tx.list(collection) }))));
    await store.wipe();
    await store.write(async (tx) => {
      for (const { collection, items } of kept) for (const i of items) await tx.put(collection, i.key, i.value);
    });
    identities.clear();
    // The bootstrap administrator comes back with the same key (read from its file), so a reset locks nobody out.
    await ensureBootstrapIdentity(store, resolve(config.dataDir), config.accountId, env.now());
    await domains.reload();
    for (const hook of resetHooks) await hook();
  }

  return gatehouse;
}
