// ClientCertificates: certificates API Gateway presents to HTTP backends so they can authenticate it. Stored under
// `clientcertificates` / `{clientCertificateId}` with the private key beside the public members (never returned;
// the data plane reads it when a stage's clientCertificateId is set).
import { NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { StringMap, Timestamp } from '../store/entities.ts';
import type { Tx } from '../store/store.ts';
import { validateTags, withDates } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations, unsupportedOpForPath } from './patch.ts';
import { generateClientCertificate } from './client-certificates-x509.ts';

export const CLIENT_CERTIFICATES = 'clientcertificates';

export interface ClientCertificate {
  clientCertificateId: string;
  description?: string;
  pemEncodedCertificate: string;
  createdDate: Timestamp;
  expirationDate: Timestamp;
  tags?: StringMap;
}

export interface StoredClientCertificate extends ClientCertificate {
  /** PKCS#8 PEM. Internal: not a member of the API's ClientCertificate shape. */
  privateKeyPem: string;
}

// GetClientCertificate on an unknown id (API reference NotFoundException; AWS's text for this resource).
const NOT_FOUND = 'Invalid Client Certificate identifier specified';

function present(c: StoredClientCertificate): ClientCertificate {
  const { privateKeyPem: _key, ...pub } = c;
  return withDates(pub);
}

async function requireCertificate(tx: Tx, id: string): Promise<StoredClientCertificate> {
  const c = await tx.get<StoredClientCertificate>(CLIENT_CERTIFICATES, id);
  if (!c) throw new NotFoundException(NOT_FOUND);
  return c;
}

async function GenerateClientCertificate(input: OperationInput, ctx: OperationContext) {
  validateTags(input.tags);
  const id = newId(6);
  const generated = await generateClientCertificate(ctx.now());
  const cert: StoredClientCertificate = {
    clientCertificateId: id,
    pemEncodedCertificate: generated.pemEncodedCertificate,
    createdDate: generated.notBefore.getTime(),
    expirationDate: generated.notAfter.getTime(),
    privateKeyPem: generated.privateKeyPem,
  };
  if (input.description !== undefined) cert.description = input.description;
  if (input.tags && Object.keys(input.tags).length) cert.tags = { ...input.tags };
  await ctx.db.write((tx) => tx.put(CLIENT_CERTIFICATES, id, cert));
  return present(cert);
}

async function GetClientCertificate(input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => present(await requireCertificate(tx, input.clientCertificateId)));
}

async function GetClientCertificates(input: OperationInput, ctx: OperationContext) {
  const all = await ctx.db.read((tx) => tx.list<StoredClientCertificate>(CLIENT_CERTIFICATES));
  const page = paginate(all.map((e) => e.value), input);
  return { items: page.items.map(present), position: page.position };
}

async function UpdateClientCertificate(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const cert = await requireCertificate(tx, input.clientCertificateId);
    for (const p of ops) {
      // API reference, UpdateClientCertificate: only /description, replaced.
      if (p.op !== 'replace') throw unsupportedOpForPath(p);
      if (p.path !== '/description') throw invalidPatchPath(p, ['/description']);
      if (p.value === undefined || p.value === '') delete cert.description;
      else cert.description = p.value;
    }
    await tx.put(CLIENT_CERTIFICATES, cert.clientCertificateId, cert);
    return present(cert);
  });
}

async function DeleteClientCertificate(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    if (!(await tx.delete(CLIENT_CERTIFICATES, input.clientCertificateId))) throw new NotFoundException(NOT_FOUND);
  });
}

export const handlers: HandlerTable = {
  GenerateClientCertificate,
  GetClientCertificate,
  GetClientCertificates,
  UpdateClientCertificate,
  DeleteClientCertificate,
};
