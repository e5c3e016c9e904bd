// How the console talks to Gatehouse: the AWS SDK for JavaScript v3 clients, pointed at the page's own origin and
// signing with SigV4 like any other SDK user (no private API). This module imports no SDK code itself: each page
// imports the client class and commands it needs, so a service's SDK lands in the chunks of the pages that use it
// and the first view stays small. Credentials are entered once (the login form) and kept in sessionStorage (this
// tab) or localStorage (this browser), as the user chose.

/** What the login form collects. */
export interface Login {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** Where the login is kept: this tab only (sessionStorage) or this browser (localStorage). */
  remember: 'tab' | 'browser';
}

/** The part of every SDK v3 client's configuration the console sets. */
export interface AwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts: number;
}

interface SdkClient {
  destroy(): void;
}

const STORAGE_KEY = 'gatehouse.console.login';
let current: Login | undefined;
const clients = new Map<unknown, SdkClient>();

function parse(text: string | null): Login | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<Login>;
    if (typeof v.accessKeyId !== 'string' || typeof v.secretAccessKey !== 'string' || typeof v.region !== 'string') return undefined;
    return { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, sessionToken: v.sessionToken || undefined, region: v.region, remember: v.remember === 'browser' ? 'browser' : 'tab' };
  } catch {
    return undefined;
  }
}

/** The login kept from an earlier visit (this tab first, then this browser), if any. */
export function savedLogin(): Login | undefined {
  current ??= parse(sessionStorage.getItem(STORAGE_KEY)) ?? parse(localStorage.getItem(STORAGE_KEY));
  return current;
}

export function saveLogin(login: Login): void {
  forgetLogin();
  const text = JSON.stringify(login);
  (login.remember === 'browser' ? localStorage : sessionStorage).setItem(STORAGE_KEY, text);
  current = login;
}

/** Signs out: forgets the login in both storages and drops the clients that signed with it. */
export function forgetLogin(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  localStorage.removeItem(STORAGE_KEY);
  current = undefined;
  for (const c of clients.values()) c.destroy();
  clients.clear();
}

/** The region the console works in (the login's). */
export function region(): string {
  return savedLogin()?.region ?? 'us-east-1';
}

/**
 * The one client of this class for the current login, created on first use against the page's own origin.
 * `awsClient(APIGatewayClient).send(new GetRestApisCommand({}))`.
 */
export function awsClient<C extends SdkClient>(Client: new (config: AwsClientConfig) => C): C {
  let client = clients.get(Client) as C | undefined;
  if (!client) {
    const login = savedLogin();
    if (!login) throw new Error('Not signed in');
    client = new Client({
      endpoint: window.location.origin,
      region: login.region,
      credentials: { accessKeyId: login.accessKeyId, secretAccessKey: login.secretAccessKey, sessionToken: login.sessionToken },
      // The console shows a failure at once rather than retrying behind the user's back.
      maxAttempts: 1,
    });
    clients.set(Client, client);
  }
  return client;
}

/** An error as AWS states it: the exception name and AWS's message (SDK errors carry both). */
export function awsMessage(err: unknown): string {
  if (err instanceof Error) {
    const name = err.name && err.name !== 'Error' ? err.name : '';
    return name && err.message && !err.message.startsWith(name) ? `${name}: ${err.message}` : err.message || name || String(err);
  }
  return String(err);
}
