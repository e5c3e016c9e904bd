// IAM and STS entities as stored. IAM is global: its collections live in the unscoped store, one account per
// Gatehouse. Each entity is kept in the shape IAM's Get operation returns (model member names), timestamps as epoch
// milliseconds, policy documents as the JSON text the caller sent (IAM answers them URL-encoded).
//
// Collections and keys:
//   iam-users            {userName}                          User
//   iam-accesskeys       {accessKeyId}                       StoredAccessKey (secret included: SigV4 needs it)
//   iam-groups           {groupName}                         Group
//   iam-groupmembers     {groupName}/{userName}              {}   (and iam-usergroups {userName}/{groupName})
//   iam-roles            {roleName}                          StoredRole
//   iam-policies         {policyName}                        StoredPolicy (managed, customer)
//   iam-policyversions   {policyName}/{versionId}            StoredPolicyVersion
//   iam-attached         {user|group|role}/{name}/{policyName}  { PolicyName, PolicyArn }
//   iam-inline           {user|group|role}/{name}/{policyName}  { PolicyDocument }
//   iam-meta             bootstrap                           { AccessKeyId, UserName }
//   sts-sessions         {accessKeyId}                       StoredSession (temporary credentials)
import { randomBytes, randomInt } from 'node:crypto';
import type { Tx } from '../store/store.ts';
import { noSuchEntity } from './errors.ts';

export const C = {
  users: 'iam-users',
  accessKeys: 'iam-accesskeys',
  groups: 'iam-groups',
  groupMembers: 'iam-groupmembers',
  userGroups: 'iam-usergroups',
  roles: 'iam-roles',
  policies: 'iam-policies',
  policyVersions: 'iam-policyversions',
  attached: 'iam-attached',
  inline: 'iam-inline',
  meta: 'iam-meta',
  sessions: 'sts-sessions',
} as const;

export interface Tag {
  Key: string;
  Value: string;
}

export interface StoredUser {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  Tags?: Tag[];
  /** ARN of the managed policy that bounds the user's permissions. */
  PermissionsBoundary?: string;
}

export interface StoredAccessKey {
  AccessKeyId: string;
  SecretAccessKey: string;
  UserName: string;
  Status: 'Active' | 'Inactive';
  CreateDate: number;
}

export interface StoredGroup {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
}

export interface StoredRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags?: Tag[];
  PermissionsBoundary?: string;
}

export interface StoredPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  Description?: string;
  CreateDate: number;
  UpdateDate: number;
  /** Next version number to hand out (versions are never renumbered, as on IAM). */
  NextVersion: number;
  Tags?: Tag[];
}

export interface StoredPolicyVersion {
  VersionId: string;
  Document: string;
  IsDefaultVersion: boolean;
  CreateDate: number;
}

export type EntityKind = 'user' | 'group' | 'role';

export interface StoredSession {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: number;
  /** The identity the session acts as. */
  kind: 'assumed-role' | 'federated-user' | 'user';
  /** assumed-role: `{roleId}:{sessionName}`; user (GetSessionToken): the user's id. */
  UserId: string;
  Arn: string;
  RoleName?: string;
  UserName?: string;
  /** Session policies (AssumeRole `Policy`, `PolicyArns`): the session may do only what they also allow. */
  SessionPolicy?: string;
  SessionPolicyArns?: string[];
  /** Session tags (AssumeRole `Tags`) and which of them pass on to chained sessions. */
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
}

// IAM's unique ids: a four-letter prefix naming the kind, then 17 (ids) or 16 (access keys) base-32 characters.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE32[randomInt(32)];
  return s;
}
export const newId = (prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA') => prefix + base32(17);
export const newAccessKeyId = (prefix: 'AKIA' | 'ASIA') => prefix + base32(16);
/** 40 characters from the base64 alphabet, as IAM's secrets are. */
export const newSecret = () => randomBytes(30).toString('base64');
/** An opaque session token (STS's are a few hundred base64 characters). */
export const newSessionToken = () => `IQoJb3JpZ2luX2dhdGVob3VzZR${randomBytes(240).toString('base64')}`;

export const arnOf = (account: string, kind: 'user' | 'group' | 'role' | 'policy', path: string, name: string) =>
  `arn:aws:iam::${account}:${kind}${path}${name}`;

/** The parts of a customer managed policy ARN (`arn:aws:iam::{account}:policy{path}{name}`). */
export function parsePolicyArn(arn: string, account: string): { path: string; name: string } | undefined {
  const prefix = `arn:aws:iam::${account}:policy`;
  if (!arn.startsWith(prefix)) return undefined;
  const rest = arn.slice(prefix.length);
  const slash = rest.lastIndexOf('/');
  if (!rest.startsWith('/') || slash === rest.length - 1) return undefined;
  return { path: rest.slice(0, slash + 1), name: rest.slice(slash + 1) };
}

/** Policy documents are answered URL-encoded, as IAM does (botocore decodes them for the CLI). */
export const encodeDocument = (doc: string) => encodeURIComponent(doc);

// IAM paginates with Marker / MaxItems / IsTruncated; the marker here is the last key returned, opaque to clients.
export function paginate<T>(items: Array<{ key: string; value: T }>, input: { Marker?: string; MaxItems?: number }): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const max = input.MaxItems ?? 100;
  let start = 0;
  if (input.Marker !== undefined) {
    const after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    start = items.findIndex((i) => i.key > after);
    if (start === -1) start = items.length;
  }
  const slice = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return { page: slice.map((i) => i.value), IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(slice[slice.length - 1]!.key).toString('base64url') } : {}) };
}

export async function userOrThrow(tx: Tx, name: string): Promise<StoredUser> {
  const u = await tx.get<StoredUser>(C.users, name);
  if (!u) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return u;
}

export async function roleOrThrow(tx: Tx, name: string): Promise<StoredRole> {
  const r = await tx.get<StoredRole>(C.roles, name);
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

export async function groupOrThrow(tx: Tx, name: string): Promise<StoredGroup> {
  const g = await tx.get<StoredGroup>(C.groups, name);
  if (!g) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

export const boundaryOut = (arn: string | undefined) => (arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } } : {});

export function userOut(u: StoredUser): Record<string, unknown> {
  return {
    Path: u.Path,
    UserName: u.UserName,
    UserId: u.UserId,
    Arn: u.Arn,
    CreateDate: new Date(u.CreateDate),
    ...boundaryOut(u.PermissionsBoundary),
    ...(u.Tags?.length ? { Tags: u.Tags } : {}),
  };
}
