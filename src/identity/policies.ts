// Customer managed policies and their versions: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy,
// CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion.
// AWS managed policies (`arn:aws:iam::aws:policy/…`) are not provided: naming one is NoSuchEntity.
import type { HandlerTable } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { checkPolicyDocument, deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from './errors.ts';
import { arnOf, C, encodeDocument, newId, paginate, parsePolicyArn, type StoredPolicy, type StoredPolicyVersion } from './records.ts';
import { awsManagedPolicies, awsManagedPolicy, type AwsManagedPolicy } from './aws-managed-policies.ts';

// IAM's quota: five versions per managed policy.
const VERSIONS_PER_POLICY = 5;

export async function policyByArn(tx: Tx, arn: string, account: string, notFound: (arn: string) => string): Promise<StoredPolicy> {
  const parts = parsePolicyArn(arn, account);
  const p = parts ? await tx.get<StoredPolicy>(C.policies, parts.name) : undefined;
  if (!p || p.Arn !== arn) throw noSuchEntity(notFound(arn));
  return p;
}
const wasNotFound = (arn: string) => `Policy ${arn} was not found.`;

/** A managed policy that can be attached: a customer one or one of the AWS managed policies Gatehouse provides. */
export interface AttachablePolicy {
  PolicyName: string;
  Arn: string;
  aws: AwsManagedPolicy | undefined;
  customer: StoredPolicy | undefined;
}

export async function attachableByArn(tx: Tx, arn: string, account: string, notFound: (arn: string) => string): Promise<AttachablePolicy> {
  const aws = awsManagedPolicy(arn);
  if (aws) return { PolicyName: aws.PolicyName, Arn: aws.Arn, aws, customer: undefined };
  const customer = await policyByArn(tx, arn, account, notFound);
  return { PolicyName: customer.PolicyName, Arn: customer.Arn, aws: undefined, customer };
}

/** The default version's document of a managed policy (customer or AWS), or undefined when it does not exist. */
export async function managedPolicyDocument(tx: Tx, arn: string): Promise<string | undefined> {
  const aws = awsManagedPolicy(arn);
  if (aws) return aws.Document;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const policy = await tx.get<StoredPolicy>(C.policies, name);
  if (!policy || policy.Arn !== arn) return undefined;
  return (await tx.get<StoredPolicyVersion>(C.policyVersions, `${name}/${policy.DefaultVersionId}`))?.Document;
}

async function attachmentCount(tx: Tx, arn: string): Promise<number> {
  return (await tx.list<{ PolicyArn: string }>(C.attached)).filter((a) => a.value.PolicyArn === arn).length;
}

async function boundaryCount(tx: Tx, arn: string): Promise<number> {
  let n = 0;
  for (const coll of [C.users, C.roles]) for (const e of await tx.list<{ PermissionsBoundary?: string }>(coll)) if (e.value.PermissionsBoundary === arn) n++;
  return n;
}

/** A policy as GetPolicy / ListPolicies show it: customer managed (with its tags) or AWS managed. */
async function policyOut(tx: Tx, p: StoredPolicy | AwsManagedPolicy): Promise<Record<string, unknown>> {
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: await attachmentCount(tx, p.Arn),
    PermissionsBoundaryUsageCount: await boundaryCount(tx, p.Arn),
    IsAttachable: true,
    Description: p.Description,
    CreateDate: new Date(p.CreateDate),
    UpdateDate: new Date(p.UpdateDate),
    ...('Tags' in p && p.Tags?.length ? { Tags: p.Tags } : {}),
  };
}

const versionOut = (v: StoredPolicyVersion, withDocument: boolean) => ({
  ...(withDocument ? { Document: encodeDocument(v.Document) } : {}),
  VersionId: v.VersionId,
  IsDefaultVersion: v.IsDefaultVersion,
  CreateDate: new Date(v.CreateDate),
});

async function versionOf(tx: Tx, p: StoredPolicy, id: string): Promise<StoredPolicyVersion> {
  const v = await tx.get<StoredPolicyVersion>(C.policyVersions, `${p.PolicyName}/${id}`);
  if (!v) throw noSuchEntity(`Policy ${p.Arn} version ${id} does not exist or is not attachable.`);
  return v;
}

export const policyHandlers: HandlerTable = {
  async CreatePolicy(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const name = input.PolicyName as string;
      if (await tx.get(C.policies, name)) throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
      checkPolicyDocument(input.PolicyDocument as string);
      const path = (input.Path as string | undefined) ?? '/';
      const now = ctx.now().getTime();
      const policy: StoredPolicy = {
        PolicyName: name,
        PolicyId: newId('ANPA'),
        Arn: arnOf(ctx.accountId, 'policy', path, name),
        Path: path,
        DefaultVersionId: 'v1',
        ...(input.Description !== undefined ? { Description: input.Description as string } : {}),
        CreateDate: now,
        UpdateDate: now,
        NextVersion: 2,
        ...(input.Tags ? { Tags: input.Tags as StoredPolicy['Tags'] } : {}),
      };
      await tx.put(C.policies, name, policy);
      await tx.put(C.policyVersions, `${name}/v1`, { VersionId: 'v1', Document: input.PolicyDocument, IsDefaultVersion: true, CreateDate: now } satisfies StoredPolicyVersion);
      // CreatePolicy's answer leaves the description out, as IAM's does.
      const out = await policyOut(tx, policy);
      delete out.Description;
      return { Policy: out };
    });
  },

  async GetPolicy(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const aws = awsManagedPolicy(input.PolicyArn as string);
      if (aws) return { Policy: await policyOut(tx, aws) };
      return { Policy: await policyOut(tx, await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound)) };
    });
  },

  async ListPolicies(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const prefix = (input.PathPrefix as string | undefined) ?? '/';
      // Customer managed policies (Scope=Local), then the AWS managed ones Gatehouse provides (Scope=AWS).
      const customer = input.Scope === 'AWS' ? [] : await tx.list<StoredPolicy>(C.policies);
      const all: Array<{ key: string; Path: string; out: () => Promise<Record<string, unknown>> }> = [
        ...customer.map((p) => ({ key: `1${p.key}`, Path: p.value.Path, out: () => policyOut(tx, p.value) })),
        ...(input.Scope === 'Local' ? [] : awsManagedPolicies().map((p) => ({ key: `2${p.PolicyName}`, Path: p.Path, out: () => policyOut(tx, p) }))),
      ];
      const items: Array<{ key: string; value: Record<string, unknown> }> = [];
      for (const p of all) {
        if (!p.Path.startsWith(prefix)) continue;
        const out = await p.out();
        const asPolicy = (out.AttachmentCount as number) > 0;
        const asBoundary = (out.PermissionsBoundaryUsageCount as number) > 0;
        if (input.OnlyAttached === true && !asPolicy && !asBoundary) continue;
        if (input.PolicyUsageFilter === 'PermissionsPolicy' && input.OnlyAttached === true && !asPolicy) continue;
        if (input.PolicyUsageFilter === 'PermissionsBoundary' && !asBoundary) continue;
        delete out.Description; // ListPolicies answers no descriptions (IAM: "use GetPolicy")
        items.push({ key: p.key, value: out });
      }
      const { page, IsTruncated, Marker } = paginate(items, input);
      return { Policies: page, IsTruncated, Marker };
    });
  },

  async DeletePolicy(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const p = await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound);
      if ((await attachmentCount(tx, p.Arn)) > 0 || (await boundaryCount(tx, p.Arn)) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
      const versions = await tx.list(C.policyVersions, `${p.PolicyName}/`);
      if (versions.length > 1) {
        throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      await tx.deletePrefix(C.policyVersions, `${p.PolicyName}/`);
      await tx.delete(C.policies, p.PolicyName);
    });
  },

  async CreatePolicyVersion(input, ctx) {
    return ctx.globalDb.write(async (tx) => {
      const p = await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound);
      checkPolicyDocument(input.PolicyDocument as string);
      const versions = await tx.list<StoredPolicyVersion>(C.policyVersions, `${p.PolicyName}/`);
      if (versions.length >= VERSIONS_PER_POLICY) {
        throw limitExceeded(`A managed policy can have up to ${VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version.`);
      }
      const now = ctx.now().getTime();
      const id = `v${p.NextVersion}`;
      const makeDefault = input.SetAsDefault === true;
      const version: StoredPolicyVersion = { VersionId: id, Document: input.PolicyDocument as string, IsDefaultVersion: makeDefault, CreateDate: now };
      if (makeDefault) {
        for (const v of versions) if (v.value.IsDefaultVersion) await tx.put(C.policyVersions, v.key, { ...v.value, IsDefaultVersion: false });
      }
      await tx.put(C.policyVersions, `${p.PolicyName}/${id}`, version);
      await tx.put(C.policies, p.PolicyName, { ...p, NextVersion: p.NextVersion + 1, UpdateDate: now, ...(makeDefault ? { DefaultVersionId: id } : {}) });
      return { PolicyVersion: versionOut(version, false) };
    });
  },

  async GetPolicyVersion(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const aws = awsManagedPolicy(input.PolicyArn as string);
      if (aws) {
        if (input.VersionId !== aws.DefaultVersionId) throw noSuchEntity(`Policy ${aws.Arn} version ${input.VersionId as string} does not exist or is not attachable.`);
        return { PolicyVersion: { Document: encodeDocument(aws.Document), VersionId: aws.DefaultVersionId, IsDefaultVersion: true, CreateDate: new Date(aws.UpdateDate) } };
      }
      const p = await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound);
      return { PolicyVersion: versionOut(await versionOf(tx, p, input.VersionId as string), true) };
    });
  },

  async ListPolicyVersions(input, ctx) {
    return ctx.globalDb.read(async (tx) => {
      const aws = awsManagedPolicy(input.PolicyArn as string);
      // Only an AWS managed policy's default version is provided.
      if (aws) return { Versions: [{ VersionId: aws.DefaultVersionId, IsDefaultVersion: true, CreateDate: new Date(aws.UpdateDate) }], IsTruncated: false };
      const p = await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound);
      const versions = await tx.list<StoredPolicyVersion>(C.policyVersions, `${p.PolicyName}/`);
      // Newest first, as IAM lists them.
      versions.sort((a, b) => Number(b.value.VersionId.slice(1)) - Number(a.value.VersionId.slice(1)));
      const ordered = versions.map((v, i) => ({ key: String(i).padStart(2, '0'), value: versionOut(v.value, false) }));
      const { page, IsTruncated, Marker } = paginate(ordered, input);
      return { Versions: page, IsTruncated, Marker };
    });
  },

  async DeletePolicyVersion(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const p = await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound);
      const v = await versionOf(tx, p, input.VersionId as string);
      if (v.IsDefaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
      await tx.delete(C.policyVersions, `${p.PolicyName}/${v.VersionId}`);
    });
  },

  async SetDefaultPolicyVersion(input, ctx) {
    await ctx.globalDb.write(async (tx) => {
      const p = await policyByArn(tx, input.PolicyArn as string, ctx.accountId, wasNotFound);
      const id = input.VersionId as string;
      if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(id)) throw invalidInput(`Invalid Version Id '${id}'`);
      await versionOf(tx, p, id);
      for (const v of await tx.list<StoredPolicyVersion>(C.policyVersions, `${p.PolicyName}/`)) {
        const isDefault = v.value.VersionId === id;
        if (v.value.IsDefaultVersion !== isDefault) await tx.put(C.policyVersions, v.key, { ...v.value, IsDefaultVersion: isDefault });
      }
      await tx.put(C.policies, p.PolicyName, { ...p, DefaultVersionId: id, UpdateDate: ctx.now().getTime() });
    });
  },
};
