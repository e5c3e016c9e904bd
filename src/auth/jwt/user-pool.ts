// Cognito user pools as API Gateway names them: a provider ARN `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`
// whose tokens carry the issuer `https://cognito-idp.{region}.amazonaws.com/{poolId}` (Cognito developer guide,
// "Verifying a JSON web token": the `iss` claim) and whose keys Cognito publishes at `{issuer}/.well-known/jwks.json`.

export interface UserPoolRef {
  readonly poolId: string;
  readonly region: string;
  /** The issuer Cognito writes into the pool's tokens. */
  readonly issuer: string;
}

// The control plane accepts only ARNs of this shape (src/control/authorizers.ts); a pool id is `{region}_{id}`.
const ARN = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([A-Za-z0-9_-]+)$/;

/** The pool a provider ARN names, or undefined for an ARN that names none. */
export function userPoolOfArn(arn: string): UserPoolRef | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  return { poolId: m[2]!, region: m[1]!, issuer: cognitoIssuer(m[1]!, m[2]!) };
}

export function cognitoIssuer(region: string, poolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}

/** Cognito's own JWKS address for a pool (unreachable from a machine without internet). */
export function cognitoJwksUrl(pool: UserPoolRef): string {
  return `${pool.issuer}/.well-known/jwks.json`;
}

/** The region a pool id names (`us-east-1_AbC123` → `us-east-1`), as Cognito forms pool ids. */
export function regionOfPoolId(poolId: string): string | undefined {
  const i = poolId.indexOf('_');
  return i > 0 ? poolId.slice(0, i) : undefined;
}

/** Cognito's pool-id pattern (CreateUserPool's `Id`: `[\w-]+_[0-9a-zA-Z]+`). */
export const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
