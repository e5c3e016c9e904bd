// The certificate behind a ClientCertificate: a real self-signed X.509 certificate over a fresh RSA-2048 key, as API
// Gateway generates for backend authentication (developer guide, "Generate and configure an SSL certificate for
// backend authentication": the backend trusts the PEM it is given; API Gateway presents the certificate when it calls
// the integration). The key pair comes from node:crypto's WebCrypto; @peculiar/x509 builds and signs the certificate.
//
// Its form copies a certificate AWS issued (published in a public test fixture, decoded with openssl): X.509 v3
// without extensions, subject and issuer `C=US, L=Seattle, CN=ApiGateway`, an 8-byte serial, sha256WithRSAEncryption,
// valid 365 days from its creation instant, PEM with CRLF line breaks and no final newline.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** AWS issues client certificates valid for 365 days. */
export const VALIDITY_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

export interface GeneratedCertificate {
  pemEncodedCertificate: string;
  /** PKCS#8 PEM of the private key; kept server-side so the data plane can present the certificate to backends. */
  privateKeyPem: string;
  notBefore: Date;
  notAfter: Date;
}

export async function generateClientCertificate(now: Date): Promise<GeneratedCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  // Whole seconds: the API reports dates in epoch seconds, and the certificate should say the same.
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_DAYS * DAY_MS);
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)));
  serial[0] = (serial[0]! & 0x7f) | 0x01; // a positive INTEGER of full length
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: 'C=US, L=Seattle, CN=ApiGateway',
      notBefore,
      notAfter,
      keys: keys as unknown as x509.X509CertificateCreateSelfSignedParams['keys'],
      signingAlgorithm: ALGORITHM,
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  const pemEncodedCertificate = cert.toString('pem').trim().split(/\r?\n/).join('\r\n');
  return { pemEncodedCertificate, privateKeyPem, notBefore, notAfter };
}
