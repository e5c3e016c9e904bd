// `gatehouse tokens issue`: an ID token and an access token of a user pool, for calling methods behind a
// COGNITO_USER_POOLS authorizer without Cognito. Signed with the pool's local key (src/auth/jwt/local-keys.ts, created
// on first use): in embedded mode a file of the data directory, which works whether or not a server is running (it is
// not in the store the server locks); with the nodes' --database-url (scale-out), the key every node shares in
// PostgreSQL (src/auth/jwt/stored-keys.ts).
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { userPoolOfArn } from '../auth/jwt/user-pool.ts';
import { loadOrCreateLocalKey, type LocalPoolKey } from '../auth/jwt/local-keys.ts';
import { storedKeyring } from '../auth/jwt/stored-keys.ts';
import { flag } from './flags.ts';
import { parseDatabaseUrl } from '../server/config.ts';
import { PostgresStore } from '../store/postgres.ts';
import { issueLocalTokens } from '../auth/jwt/local-tokens.ts';

function poolArn(value: string) {
  const pool = userPoolOfArn(value);
  if (!pool) throw new InvalidArgumentError('not a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)');
  return pool;
}

/** `k=v`: v is read as JSON when it is JSON (numbers, true, ["a","b"], "quoted text"), else as text. */
function claim(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError('not NAME=VALUE');
  const raw = value.slice(i + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // plain text
  }
  return { ...previous, [value.slice(0, i)]: parsed };
}

function seconds(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('not a number of seconds');
  return Number(value);
}

/** The pool's key where the nodes keep it: the shared PostgreSQL in scale-out mode, else the data directory. */
async function poolKey(dataDir: string, url: string | undefined, poolId: string): Promise<LocalPoolKey> {
  if (url === undefined) return loadOrCreateLocalKey(dataDir, poolId);
  const store = new PostgresStore(url, { poolSize: 1 });
  try {
    await store.ready;
    const keyring = storedKeyring(store, dataDir, (line) => void process.stderr.write(`${line}\n`));
    try {
      return await keyring.loadOrCreate(poolId);
    } finally {
      keyring.close();
    }
  } finally {
    await store.close();
  }
}

export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('tokens of local Cognito user pools, for COGNITO_USER_POOLS authorizers');
  tokens
    .command('issue')
    .description('print {"idToken", "accessToken"} signed with the user pool\'s local key, which Gatehouse verifies')
    .requiredOption('--user-pool <arn>', 'the user pool ARN the authorizer names (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)', poolArn)
    .requiredOption('--sub <sub>', 'the user (sub claim)')
    .option('--username <name>', 'cognito:username / username (default: the sub)')
    .option('--scope <scope>', 'an OAuth scope of the access token (repeatable; default aws.cognito.signin.user.admin)', (v: string, p: string[] = []) => [...p, v])
    .option('--claim <NAME=VALUE>', 'set or override a claim of both tokens, exp and aud included (repeatable; VALUE as JSON when it parses)', claim)
    .option('--client-id <id>', "the app client id (aud, client_id); default one kept with the pool's key")
    .option('--expires-in <seconds>', 'validity (default 3600)', seconds)
    .option('--data-dir <dir>', 'Gatehouse data directory, where the key is kept (env GATEHOUSE_DATA_DIR, default ./.gatehouse)')
    .option('--database-url <url>', "scale-out: the nodes' PostgreSQL, where every node finds the key (env GATEHOUSE_DATABASE_URL)", flag(parseDatabaseUrl))
    .action(async (opts: {
      userPool: ReturnType<typeof poolArn>; sub: string; username?: string; scope?: string[]; claim?: Record<string, unknown>;
      clientId?: string; expiresIn?: number; dataDir?: string; databaseUrl?: string;
    }) => {
      try {
        const dataDir = resolve(opts.dataDir ?? (process.env.GATEHOUSE_DATA_DIR || './.gatehouse'));
        const env = process.env.GATEHOUSE_DATABASE_URL;
        const url = opts.databaseUrl ?? (env ? parseDatabaseUrl(env, 'GATEHOUSE_DATABASE_URL') : undefined);
        const key = await poolKey(dataDir, url, opts.userPool.poolId);
        const issued = await issueLocalTokens(opts.userPool, key, {
          sub: opts.sub,
          username: opts.username,
          scopes: opts.scope,
          claims: opts.claim,
          clientId: opts.clientId,
          expiresIn: opts.expiresIn,
        });
        console.log(JSON.stringify({ idToken: issued.idToken, accessToken: issued.accessToken }));
      } catch (err) {
        console.error(`gatehouse: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    });
}
