// Gatehouse's own CA, which issues the certificates of custom domains that name an ACM certificate (Gatehouse has no
// ACM) and the default HTTPS certificate when no --tls-cert is given. Generated once, then kept:
// - embedded mode: in `{dataDir}/tls/` (ca.pem, and ca-key.pem mode 0600);
// - scale-out mode (--database-url): in the store (collection `tls`, key `ca`), so every node, whatever its data
//   directory holds, issues from the same CA and clients trust one file. Nodes starting at once agree on one CA
//   (keepOnce). A data directory that already has a CA (a node that ran embedded, or one set up by copying `tls/` as
//   the scale-out docs once said) hands it to the store when the store has none yet. Each node writes the kept CA's
//   certificate (never its key) to `{dataDir}/tls/ca.pem` for clients to trust.
import 'reflect-metadata';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Store } from '../store/store.ts';
import { keepOnce } from '../store/keep-once.ts';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
const crypto = webcrypto;
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The store collection and key of the CA in scale-out mode. */
export const CA_COLLECTION = 'tls';
const CA_KEY = 'ca';

export interface Ca {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
}

/** The CA as kept: its certificate and PKCS#8 private key, both PEM. */
export interface CaPems {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Where the CA is kept, and the certificate file clients should trust. */
export interface CaKeeper {
  readonly caFile: string;
  /** The kept CA, or `make()`'s kept now when there is none; `created` when this call kept it. */
  loadOrKeep(make: () => Promise<CaPems>): Promise<{ pems: CaPems; created: boolean }>;
}

function readCaFiles(dir: string): CaPems | undefined {
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

function writeCertFile(dir: string, certPem: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'ca.pem'), certPem);
}

/** Embedded mode: the CA in `{dataDir}/tls/` (one process owns the data directory). */
export function fileCaKeeper(dataDir: string): CaKeeper {
  const dir = join(dataDir, 'tls');
  return {
    caFile: join(dir, 'ca.pem'),
    async loadOrKeep(make) {
      const existing = readCaFiles(dir);
      if (existing) return { pems: existing, created: false };
      const pems = await make();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const keyFile = join(dir, 'ca-key.pem');
      writeFileSync(keyFile, pems.keyPem, { mode: 0o600 });
      chmodSync(keyFile, 0o600);
      writeCertFile(dir, pems.certPem);
      return { pems, created: true };
    },
  };
}

/**
 * Scale-out mode: the CA in the store, shared by every node. A CA already in `{dataDir}/tls/` is offered to the store
 * first (kept if the store has none); `warn` says when the data directory's CA differs from the store's (the store's
 * is used, and its certificate replaces the file's).
 */
export function storedCaKeeper(store: Store, dataDir: string, warn: (line: string) => void): CaKeeper {
  const dir = join(dataDir, 'tls');
  const caFile = join(dir, 'ca.pem');
  return {
    caFile,
    async loadOrKeep(make) {
      const local = readCaFiles(dir);
      const kept = await keepOnce<CaPems>(store, CA_COLLECTION, CA_KEY, () => local ?? make());
      if (local && local.certPem !== kept.value.certPem) {
        warn(`WARN ${caFile} is not the CA the other nodes share (kept in the database): using the shared CA and writing its certificate to ${caFile}`);
      }
      if (!local || local.certPem !== kept.value.certPem) writeCertFile(dir, kept.value.certPem);
      return { pems: kept.value, created: kept.created && !local };
    },
  };
}

/** A new self-signed CA (P-256, ten years). */
export async function newCa(): Promise<CaPems> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Gatehouse local CA (${hostname()})`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 10 * 365 * DAY_MS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
}

/** The CA as the keeper has it (or kept now), ready to sign. */
export async function loadCa(keeper: CaKeeper): Promise<{ ca: Ca; created: boolean }> {
  const { pems, created } = await keeper.loadOrKeep(newCa);
  const cert = new x509.X509Certificate(pems.certPem);
  const privateKey = await crypto.subtle.importKey('pkcs8', pemBody(pems.keyPem), EC, true, ['sign']);
  const publicKey = await cert.publicKey.export(EC, ['verify']);
  return { ca: { cert, keys: { privateKey, publicKey }, pem: pems.certPem }, created };
}

/** A server certificate for `names` (DNS names or IP literals), issued by the CA. */
export async function issue(ca: Ca, names: readonly string[]): Promise<{ cert: string; key: string }> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 397 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 'ip', value: n } : { type: 'dns', value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert: `${cert.toString('pem')}\n${ca.pem}`, key: await privateKeyPem(keys.privateKey) };
}

function serial(): string {
  const b = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
