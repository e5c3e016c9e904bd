// Gatehouse's settings, from flags and environment (flags win), with the defaults the README documents.
export interface GatehouseConfig {
  port: number;
  host: string;
  dataDir: string;
  dev: boolean;
  accountId: string;
  defaultRegion: string;
  /** Host names served besides loopback names, IP literals, execute-api hosts and custom domains (`--public-host`). */
  publicHosts: string[];
  /** Origins whose pages may call the control APIs (`--cors-origin`); the page's own origin always may. */
  corsOrigins: string[];
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatehouseConfig {
  return {
    port: env.GATEHOUSE_PORT ? Number(env.GATEHOUSE_PORT) : 4567,
    host: env.GATEHOUSE_HOST ?? '127.0.0.1',
    dataDir: env.GATEHOUSE_DATA_DIR ?? './.gatehouse',
    dev: env.GATEHOUSE_DEV === '1' || env.GATEHOUSE_DEV === 'true',
    accountId: env.GATEHOUSE_ACCOUNT_ID ?? '123456789012',
    defaultRegion: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    publicHosts: list(env.GATEHOUSE_PUBLIC_HOSTS),
    corsOrigins: list(env.GATEHOUSE_CORS_ORIGINS),
  };
}
