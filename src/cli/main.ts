// The `gatehouse` command. `gatehouse serve` is what `npm start` runs.
// A server that cannot start says why in one line on stderr (`gatehouse: …`) and exits 1, without a stack trace.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { configFromEnv, parseAccountThrottle, parseDatabaseUrl, parseCidr, parseLogFormat, parseLogLevel, parseHost, parsePort, parseRedisFailure, parseRedisUrl, parseUserPoolJwks, parseVpcEndpointSetting, userPoolJwksMap, type GatehouseConfig } from '../server/config.ts';
import { createGatehouse, type Gatehouse } from '../server/app.ts';
import { describeStartupError, type ListenTarget } from '../server/startup-errors.ts';
import { describeDatabase } from '../store/database-url.ts';
import { hotReloadRoot } from '../functions/hot-reload-roots.ts';
import { registerFunctionsCommand } from './functions.ts';
import { registerImportCommand } from './import.ts';
import { registerTokensCommand } from './tokens.ts';
import { flag } from './flags.ts';
import { consoleBuilt } from '../server/console-assets.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Prints why startup failed, releases what was opened (the data-directory lock) and exits 1. */
async function failStartup(err: unknown, gh: Gatehouse | undefined, listen: ListenTarget | undefined): Promise<never> {
  process.exitCode = 1;
  console.error(`gatehouse: ${describeStartupError(err, listen)}`);
  if (process.env.GATEHOUSE_DEBUG === '1') console.error(err);
  if (gh) await Promise.race([gh.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
  process.exit(1);
}

/** A repeatable flag: each occurrence parsed and collected. */
function repeatable<T>(parse: (value: string) => T): (value: string, previous?: T[]) => T[] {
  return (value, previous = []) => [...previous, parse(value)];
}

function hotReloadRootFlag(value: string): string {
  try {
    return hotReloadRoot(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^--hot-reload-root \S+: /, ''));
  }
}

const program = new Command('gatehouse')
  .description('Amazon API Gateway (REST APIs), self-hosted')
  .version(`gatehouse ${VERSION}`)
  // Flag errors read like every other startup failure (commands added below inherit this).
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'gatehouse: ')) });

program
  .command('serve')
  .description('serve the AWS control APIs, deployed APIs and the console on one port')
  .version(`gatehouse ${VERSION}`, '-V, --version', 'print the version and exit')
  .option('--port <port>', 'port to listen on (env GATEHOUSE_PORT)', flag(parsePort))
  .option('--host <host>', 'address to listen on (env GATEHOUSE_HOST)', flag(parseHost))
  .option('--data-dir <dir>', 'where state is kept (env GATEHOUSE_DATA_DIR); with --database-url, only this node\'s caches')
  .option('--database-url <url>', 'scale-out: keep state in this PostgreSQL, shared by every node, e.g. postgres://user@host:5432/gatehouse (env GATEHOUSE_DATABASE_URL)', flag(parseDatabaseUrl))
  .option('--dev', 'dev mode: enables POST /_gatehouse/reset (env GATEHOUSE_DEV=1)')
  .option('--public-host <name...>', 'also serve requests whose Host is NAME (or *.SUFFIX); env GATEHOUSE_PUBLIC_HOSTS=a,b')
  .option('--cors-origin <origin...>', 'let pages from ORIGIN call the control APIs; env GATEHOUSE_CORS_ORIGINS=a,b')
  .option('--tls-port <port>', 'also serve HTTPS on this port: custom domains with their certificates (env GATEHOUSE_TLS_PORT)', flag(parsePort))
  .option('--tls-cert <file>', "HTTPS default certificate, PEM (env GATEHOUSE_TLS_CERT); default: one from Gatehouse's own CA")
  .option('--tls-key <file>', 'private key of --tls-cert, PEM (env GATEHOUSE_TLS_KEY)')
  .option('--unsafe-functions', 'run functions without the bubblewrap sandbox, as processes of your own user (env GATEHOUSE_UNSAFE_FUNCTIONS=1)')
  .option('--require-auth', 'verify the SigV4 signature of every control request against the IAM access keys (env GATEHOUSE_REQUIRE_AUTH=1)')
  .option('--vpc-endpoint <spec>', 'requests from these networks come through this VPC endpoint (aws:SourceVpce, PRIVATE APIs): vpce-ID=CIDR[,CIDR...][@vpc-ID], repeatable; env GATEHOUSE_VPC_ENDPOINTS=a;b', repeatable(flag(parseVpcEndpointSetting)))
  .option('--vpce-header-from <cidr>', 'believe the x-amzn-vpce-id header from these peers only (a proxy in front), repeatable; env GATEHOUSE_VPCE_HEADER_FROM=a,b', repeatable(flag(parseCidr)))
  .option('--account-throttle <rate:burst>', 'account-level throttle of every region, e.g. 10000:5000 (AWS default; env GATEHOUSE_ACCOUNT_THROTTLE)', flag(parseAccountThrottle))
  .option('--user-pool-jwks <POOL_ID=URL>', "verify the user pool's tokens with the keys of this JWKS URL (repeatable); env GATEHOUSE_USER_POOL_JWKS=a=URL,b=URL", repeatable(flag(parseUserPoolJwks)))
  .option('--redis-url <url>', 'scale-out: share throttles, quotas and the stage cache through this Redis, redis://host:port[/db] (env GATEHOUSE_REDIS_URL)', flag(parseRedisUrl))
  .option('--redis-failure <policy>', 'while Redis cannot answer: open (admit without limits; default) or closed (503); env GATEHOUSE_REDIS_FAILURE', flag(parseRedisFailure))
  .option('--redis-prefix <prefix>', 'prefix of every Redis key (default gatehouse:); env GATEHOUSE_REDIS_PREFIX')
  .option('--log-format <format>', 'process log lines as text or json (pino); env GATEHOUSE_LOG_FORMAT', flag(parseLogFormat))
  .option('--log-level <level>', 'trace, debug, info (default: a line per request), warn, error (5xx with their cause) or silent; env GATEHOUSE_LOG_LEVEL', flag(parseLogLevel))
  .option('--hot-reload-root <dir>', 'let functions run code from directories under DIR (repeatable); env GATEHOUSE_HOT_RELOAD_ROOTS=a:b', repeatable(hotReloadRootFlag))
  .action(async (opts: {
    hotReloadRoot?: string[];
    userPoolJwks?: Array<[string, string]>;
    vpcEndpoint?: GatehouseConfig['vpcEndpoints']; vpceHeaderFrom?: string[];
    port?: number; host?: string; dataDir?: string; databaseUrl?: string; dev?: boolean; publicHost?: string[]; corsOrigin?: string[];
    tlsPort?: number; tlsCert?: string; tlsKey?: string; unsafeFunctions?: boolean; requireAuth?: boolean;
    accountThrottle?: { rateLimit: number; burstLimit: number };
    logFormat?: GatehouseConfig['logFormat']; logLevel?: GatehouseConfig['logLevel'];
    redisUrl?: string; redisFailure?: GatehouseConfig['redisFailure']; redisPrefix?: string;
  }) => {
    let config: GatehouseConfig;
    try {
      config = configFromEnv();
    } catch (err) {
      return failStartup(err, undefined, undefined);
    }
    if (opts.port !== undefined) config.port = opts.port;
    if (opts.host !== undefined) config.host = opts.host;
    if (opts.dataDir !== undefined) config.dataDir = opts.dataDir;
    if (opts.databaseUrl !== undefined) config.databaseUrl = opts.databaseUrl;
    if (opts.dev) config.dev = true;
    if (opts.publicHost) config.publicHosts.push(...opts.publicHost);
    if (opts.corsOrigin) config.corsOrigins.push(...opts.corsOrigin);
    if (opts.hotReloadRoot) config.hotReloadRoots.push(...opts.hotReloadRoot);
    if (opts.tlsPort !== undefined) config.tlsPort = opts.tlsPort;
    if (opts.tlsCert !== undefined) config.tlsCert = opts.tlsCert;
    if (opts.tlsKey !== undefined) config.tlsKey = opts.tlsKey;
    if (opts.unsafeFunctions) config.unsafeFunctions = true;
    if (opts.requireAuth) config.requireAuth = true;
    if (opts.vpcEndpoint) config.vpcEndpoints.push(...opts.vpcEndpoint);
    if (opts.vpceHeaderFrom) config.vpceHeaderFrom.push(...opts.vpceHeaderFrom);
    if (opts.accountThrottle) config.accountThrottle = opts.accountThrottle;
    if (opts.redisUrl) config.redisUrl = opts.redisUrl;
    if (opts.redisFailure) config.redisFailure = opts.redisFailure;
    if (opts.redisPrefix) config.redisPrefix = opts.redisPrefix;
    if (opts.logFormat) config.logFormat = opts.logFormat;
    if (opts.logLevel) config.logLevel = opts.logLevel;
    if (opts.userPoolJwks) {
      try {
        userPoolJwksMap(opts.userPoolJwks, '--user-pool-jwks', config.userPoolJwks);
      } catch (err) {
        return failStartup(err, undefined, undefined);
      }
    }
    let gh: Gatehouse;
    try {
      gh = createGatehouse(config);
    } catch (err) {
      return failStartup(err, undefined, undefined);
    }
    // Signals are handled from the start, so a SIGTERM during startup also closes the store cleanly.
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: finishing in-flight requests and closing the store`);
      gh.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`gatehouse: could not close cleanly: ${(err as Error).message}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    const hostSource = opts.host !== undefined ? '--host' : process.env.GATEHOUSE_HOST ? 'GATEHOUSE_HOST' : 'default --host';
    let bound: number;
    try {
      bound = await gh.listen();
    } catch (err) {
      return failStartup(err, gh, { host: config.host, port: config.port, hostSource, tlsPort: config.tlsPort });
    }
    const endpoint = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${bound}`;
    console.log(
      `Gatehouse listening on ${endpoint}${config.dev ? ' (dev mode)' : ''}, ` +
        `${config.databaseUrl ? `state in PostgreSQL ${describeDatabase(config.databaseUrl)} (scale-out), this node's files in ${config.dataDir}` : `data in ${config.dataDir}`}\n` +
        `Try: aws apigateway get-rest-apis --endpoint-url ${endpoint} --region ${config.defaultRegion}\n` +
        `Web console: ${endpoint}/_gatehouse/console/${consoleBuilt() ? '' : ' (not built: run npm run build:console)'}`,
    );
    const admin = gh.bootstrap;
    if (admin?.created) {
      // Printed this once; the key stays readable in the data directory.
      console.log(
        `Bootstrap administrator (IAM user admin), shown once:\n  aws_access_key_id = ${admin.accessKeyId}\n  aws_secret_access_key = ${admin.secretAccessKey}\n` +
          `  (kept in ${admin.file}, a credentials file: AWS_SHARED_CREDENTIALS_FILE=${admin.file} aws --profile gatehouse …)`,
      );
    }
    console.log(config.requireAuth ? 'Control APIs verify SigV4 signatures (--require-auth).' : 'Control APIs accept any access key: signatures are not verified (use --require-auth to verify them).');
    if (gh.metricsTokenFile) console.log(`/_gatehouse/metrics needs a SigV4 signature allowed cloudwatch:GetMetricData, or Authorization: Bearer <the token in ${gh.metricsTokenFile}>.`);
    if (gh.tls) console.log(`HTTPS on port ${gh.tls.port} (custom domain names by SNI). ${gh.tls.notice.replaceAll('PORT', String(gh.tls.port))}`);
  });

registerFunctionsCommand(program);
registerImportCommand(program);
registerTokensCommand(program);

await program.parseAsync(process.argv);
