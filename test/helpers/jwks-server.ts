// A stand-in OIDC issuer for user-pool authorizer tests: a loopback HTTP server publishing a JWKS of keys made
// with jose, which signs tokens with them. Its answer can be turned hostile (hang, garbage, error status, huge).
import { createServer, type Server, type ServerResponse } from 'node:http';
import { KeyObject, sign as cryptoSign } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** RS256 over any header jose would refuse to write (e.g. unknown `crit` extensions). */
  signRaw(header: Record<string, unknown>, payload: Record<string, unknown>): string;
}

export type JwksMode = 'ok' | 'hang' | 'garbage' | 'status500' | 'huge' | 'no-keys';

export interface JwksServer {
  /** `{base}/.well-known/jwks.json`. */
  readonly url: string;
  /** The issuer whose JWKS this is, as OIDC discovery places it (`url` minus `/.well-known/jwks.json`). */
  readonly issuer: string;
  /** How many JWKS requests arrived. */
  requests: number;
  mode: JwksMode;
  /** Makes a key and publishes it (unless `publish` is false). */
  addKey(kid: string, opts?: { publish?: boolean; alg?: 'RS256' | 'ES256' }): Promise<SigningKey>;
  unpublish(kid: string): void;
  close(): Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const published = new Map<string, JWK>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    switch (state.mode) {
      case 'hang':
        hanging.add(res);
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [ this is not json');
        return;
      case 'status500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"keys":[],"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
        return;
      case 'no-keys':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"sym"}]}');
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [...published.values()] }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const state: JwksServer = {
    url: `${base}/.well-known/jwks.json`,
    issuer: base,
    requests: 0,
    mode: 'ok',
    async addKey(kid, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      if (opts.publish ?? true) published.set(kid, publicJwk);
      return {
        kid,
        publicJwk,
        sign: (payload, header = {}) => new SignJWT(payload as never).setProtectedHeader({ alg, kid, ...header } as never).sign(privateKey),
        signRaw(header, payload) {
          const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
          return `${input}.${cryptoSign('sha256', Buffer.from(input), KeyObject.from(privateKey)).toString('base64url')}`;
        },
      };
    },
    unpublish(kid) {
      published.delete(kid);
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
  return state;
}

/** Claims of a Cognito ID token of `issuer` (epoch seconds from `now`). */
export function idClaims(issuer: string, extra: Record<string, unknown> = {}, now = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'cognito:groups': ['admins', 'readers'],
    email_verified: true,
    iss: issuer,
    'cognito:username': 'alice',
    origin_jti: 'f0f0f0f0-0000-1111-2222-333333333333',
    aud: 'client-1',
    event_id: 'e0e0e0e0-0000-1111-2222-333333333333',
    token_use: 'id',
    auth_time: now - 10,
    exp: now + 3600,
    iat: now - 10,
    jti: 'a0a0a0a0-0000-1111-2222-333333333333',
    email: 'alice@example.com',
    ...extra,
  };
}

/** Claims of a Cognito access token of `issuer` with `scope`. */
export function accessClaims(issuer: string, scope: string, extra: Record<string, unknown> = {}, now = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    iss: issuer,
    client_id: 'client-1',
    origin_jti: 'f0f0f0f0-0000-1111-2222-333333333333',
    event_id: 'e0e0e0e0-0000-1111-2222-333333333333',
    token_use: 'access',
    scope,
    auth_time: now - 10,
    exp: now + 3600,
    iat: now - 10,
    jti: 'b0b0b0b0-0000-1111-2222-333333333333',
    username: 'alice',
    ...extra,
  };
}
