// HTTPS for `gatehouse serve --tls-port N`: one TLS listener serving every custom domain name with its own
// certificate, chosen by SNI, and everything else (execute-api hosts, the control APIs, product endpoints) with a
// default certificate.
//
// Certificates:
// - a domain created with certificateBody / certificatePrivateKey / certificateChain presents exactly that;
// - a domain naming an ACM certificate (certificateArn, regionalCertificateArn): Gatehouse has no ACM, so it presents
//   a certificate for the domain's name issued by Gatehouse's own CA (generated once, kept in `{dataDir}/tls/` or,
//   in scale-out mode, in the store: ./tls-ca.ts);
// - the default certificate is `--tls-cert`/`--tls-key` when given, else one issued by the same CA for localhost,
//   `*.localhost`, `*.execute-api.localhost`, 127.0.0.1 and ::1. Clients trust `{dataDir}/tls/ca.pem` (the notice
//   printed at start says so).
//
// A domain's security policy is enforced after the handshake (OpenSSL fixes the protocol range before SNI picks a
// context): TLS_1_2 policies need TLS 1.2 or later, the `SecurityPolicy_TLS13_1_3_*` ones TLS 1.3. TLS_1_0 domains
// are served from TLS 1.2 on, stricter than AWS (Node's OpenSSL refuses older protocols). A domain with mutual TLS
// is refused at the handshake: its truststore lives in S3, which Gatehouse cannot read, and serving it without client
// authentication would silently drop the setting.
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CustomDomains, ServedDomain } from '../execute/custom-domains.ts';
import { ConfigError } from './startup-errors.ts';
import { issue, loadCa, type Ca, type CaKeeper } from './tls-ca.ts';

export interface TlsSettings {
  /** PEM files of the default certificate (both or neither). */
  certFile?: string;
  keyFile?: string;
  /** Where Gatehouse's own CA is kept (./tls-ca.ts). */
  ca: CaKeeper;
}

export interface TlsListener {
  readonly server: Server;
  /** The CA file clients should trust for generated certificates. */
  readonly caFile: string;
  /** What to tell the operator at start. */
  readonly notice: string;
}

/** The lowest protocol a domain's security policy admits (see the header comment for TLS_1_0). */
function minimumProtocol(policy: string): 'TLSv1.2' | 'TLSv1.3' {
  return policy.startsWith('SecurityPolicy_TLS13_1_3') ? 'TLSv1.3' : 'TLSv1.2';
}

/**
 * Creates (does not start) the HTTPS server. `onRequest` is the same request listener as the plain-HTTP one's.
 * Throws with a clear message when the default certificate files cannot be read or do not match.
 */
export async function createTlsListener(
  settings: TlsSettings,
  domains: CustomDomains,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TlsListener> {
  const caFile = settings.ca.caFile;
  let caPromise: Promise<{ ca: Ca; created: boolean }> | undefined;
  const ca = () => (caPromise ??= loadCa(settings.ca));

  let defaultCert: { cert: string | Buffer; key: string | Buffer };
  let notice: string;
  if (settings.certFile || settings.keyFile) {
    if (!settings.certFile || !settings.keyFile) throw new ConfigError('--tls-cert and --tls-key go together: give both or neither');
    defaultCert = { cert: readPem(settings.certFile, '--tls-cert'), key: readPem(settings.keyFile, '--tls-key') };
    try {
      createSecureContext(defaultCert);
    } catch (err) {
      throw new ConfigError(`--tls-cert ${settings.certFile} and --tls-key ${settings.keyFile} are not a usable certificate and key: ${(err as Error).message}`);
    }
    notice = `HTTPS default certificate: ${settings.certFile}`;
  } else {
    const { ca: authority, created } = await ca();
    const names = ['localhost', '*.localhost', '*.execute-api.localhost', '127.0.0.1', '::1'];
    const host = hostname().toLowerCase();
    if (/^[a-z0-9.-]+$/.test(host) && host !== 'localhost') names.push(host);
    defaultCert = await issue(authority, names);
    notice =
      `HTTPS certificates are issued by Gatehouse's own CA (${created ? 'generated now' : 'generated earlier'}): ${caFile}\n` +
      `  Trust it to call over HTTPS, e.g. curl --cacert ${caFile} https://localhost:PORT/... ; ` +
      'or give your own default certificate with --tls-cert/--tls-key.';
  }

  // SecureContexts per domain, rebuilt when the domain changes (its version string).
  const contexts = new Map<string, { version: string; context: Promise<SecureContext> }>();
  function contextFor(d: ServedDomain): Promise<SecureContext> {
    const key = d.name.toLowerCase();
    const hit = contexts.get(key);
    if (hit && hit.version === d.version) return hit.context;
    const context = (async () => {
      if (d.certificate) {
        const cert = d.certificate.chain ? `${d.certificate.cert.trim()}\n${d.certificate.chain.trim()}\n` : d.certificate.cert;
        return createSecureContext({ cert, key: d.certificate.key });
      }
      const issued = await issue((await ca()).ca, [d.name]);
      return createSecureContext(issued);
    })();
    context.catch(() => contexts.delete(key));
    if (contexts.size >= 10_000) contexts.clear();
    contexts.set(key, { version: d.version, context });
    return context;
  }

  const server = createServer(
    {
      ...defaultCert,
      keepAliveTimeout: 65_000,
      SNICallback(servername, cb) {
        const d = domains.byName(servername);
        if (!d) return cb(null, undefined); // the default certificate
        if (d.mutualTls) return cb(new Error(`mutual TLS for ${d.name} needs its truststore (${d.mutualTls}), which Gatehouse cannot read`));
        contextFor(d).then(
          (ctx) => cb(null, ctx),
          (err: Error) => cb(err),
        );
      },
    },
    onRequest,
  );
  // The domain's security policy, checked once the protocol is known.
  server.on('secureConnection', (socket: TLSSocket) => {
    const servername = (socket as TLSSocket & { servername?: string | false }).servername;
    if (!servername) return;
    const d = domains.byName(servername);
    if (d && minimumProtocol(d.securityPolicy) === 'TLSv1.3' && socket.getProtocol() !== 'TLSv1.3') socket.destroy();
  });
  return { server, caFile, notice };
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${flag} ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
