// The `gatehouse` command. `gatehouse serve` is what `npm start` runs.
import { Command, InvalidArgumentError } from 'commander';
import { configFromEnv } from '../server/config.ts';
import { createGatehouse } from '../server/app.ts';
import { registerFunctionsCommand } from './functions.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

const program = new Command('gatehouse').description('Amazon API Gateway (REST APIs), self-hosted');

program
  .command('serve')
  .description('serve the AWS control APIs, deployed APIs and the console on one port')
  .option('--port <port>', 'port to listen on (env GATEHOUSE_PORT)', port)
  .option('--host <host>', 'address to listen on (env GATEHOUSE_HOST)')
  .option('--data-dir <dir>', 'where state is kept (env GATEHOUSE_DATA_DIR)')
  .option('--dev', 'dev mode: enables POST /_gatehouse/reset (env GATEHOUSE_DEV=1)')
  .option('--public-host <name...>', 'also serve requests whose Host is NAME (or *.SUFFIX); env GATEHOUSE_PUBLIC_HOSTS=a,b')
  .option('--cors-origin <origin...>', 'let pages from ORIGIN call the control APIs; env GATEHOUSE_CORS_ORIGINS=a,b')
  .action(async (opts: { port?: number; host?: string; dataDir?: string; dev?: boolean; publicHost?: string[]; corsOrigin?: string[] }) => {
    const config = configFromEnv();
    if (opts.port !== undefined) config.port = opts.port;
    if (opts.host !== undefined) config.host = opts.host;
    if (opts.dataDir !== undefined) config.dataDir = opts.dataDir;
    if (opts.dev) config.dev = true;
    if (opts.publicHost) config.publicHosts.push(...opts.publicHost);
    if (opts.corsOrigin) config.corsOrigins.push(...opts.corsOrigin);
    const gh = createGatehouse(config);
    // Signals are handled from the start, so a SIGTERM during startup also closes the store cleanly.
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: finishing in-flight requests and closing the store`);
      gh.close().then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    const bound = await gh.listen();
    const endpoint = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${bound}`;
    console.log(
      `Gatehouse listening on ${endpoint}${config.dev ? ' (dev mode)' : ''}, data in ${config.dataDir}\n` +
        `Try: aws apigateway get-rest-apis --endpoint-url ${endpoint} --region ${config.defaultRegion}`,
    );
  });

registerFunctionsCommand(program);

await program.parseAsync(process.argv);
