// The bootstrap identity: at first start, an IAM user `admin` with an access key (and an inline policy allowing
// everything, for when policies are evaluated) administers a fresh instance. Its key is printed once, at that first
// start, and kept readable in `{dataDir}/admin-credentials` (mode 0600), a shared-credentials file:
//   AWS_SHARED_CREDENTIALS_FILE=.gatehouse/admin-credentials aws --profile gatehouse iam list-users --endpoint-url …
// After a dev-mode reset the same key is restored from that file, so a reset never locks the operator out.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { createAccessKey } from './access-keys.ts';
import { arnOf, C, newId, type StoredAccessKey, type StoredUser } from './records.ts';

export const BOOTSTRAP_USER = 'admin';
export const CREDENTIALS_FILE = 'admin-credentials';
const ADMIN_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

export interface BootstrapIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the key can be read again. */
  file: string;
  /** True when this start created it (the one time it is printed). */
  created: boolean;
}

export async function ensureBootstrapIdentity(store: Store, dataDir: string, accountId: string, now: Date): Promise<BootstrapIdentity> {
  const file = join(dataDir, CREDENTIALS_FILE);
  const saved = readCredentialsFile(file);
  const result = await store.write(async (tx) => {
    const meta = await tx.get<{ AccessKeyId: string }>(C.meta, 'bootstrap');
    const existing = meta ? await tx.get<StoredAccessKey>(C.accessKeys, meta.AccessKeyId) : undefined;
    if (meta) return { key: existing, created: false };
    let user = await tx.get<StoredUser>(C.users, BOOTSTRAP_USER);
    if (!user) {
      user = { UserName: BOOTSTRAP_USER, UserId: newId('AIDA'), Arn: arnOf(accountId, 'user', '/', BOOTSTRAP_USER), Path: '/', CreateDate: now.getTime() };
      await tx.put(C.users, BOOTSTRAP_USER, user);
      await tx.put(C.inline, `user/${BOOTSTRAP_USER}/AdministratorAccess`, { PolicyDocument: ADMIN_POLICY });
    }
    const taken = saved && (await tx.get(C.accessKeys, saved.accessKeyId));
    const key = await createAccessKey(tx, BOOTSTRAP_USER, now, saved && !taken ? { AccessKeyId: saved.accessKeyId, SecretAccessKey: saved.secretAccessKey } : undefined);
    await tx.put(C.meta, 'bootstrap', { AccessKeyId: key.AccessKeyId, UserName: BOOTSTRAP_USER });
    // Printed only when nobody has seen this key yet (not when it was restored from the file).
    return { key, created: !saved || saved.accessKeyId !== key.AccessKeyId };
  });
  // The operator may have deleted or deactivated the bootstrap key on purpose: the file then names what was issued.
  const key = result.key;
  if (key && (!saved || saved.accessKeyId !== key.AccessKeyId || saved.secretAccessKey !== key.SecretAccessKey)) {
    writeCredentialsFile(file, key.AccessKeyId, key.SecretAccessKey);
  }
  return {
    accessKeyId: key?.AccessKeyId ?? saved?.accessKeyId ?? '',
    secretAccessKey: key?.SecretAccessKey ?? saved?.secretAccessKey ?? '',
    file,
    created: result.created,
  };
}

function writeCredentialsFile(file: string, id: string, secret: string): void {
  writeFileSync(
    file,
    `# Gatehouse bootstrap administrator: IAM user ${BOOTSTRAP_USER}. Use with\n` +
      `#   AWS_SHARED_CREDENTIALS_FILE=${file} aws --profile gatehouse …\n` +
      `[gatehouse]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`,
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
}

export function readCredentialsFile(file: string): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const id = /^aws_access_key_id\s*=\s*(\S+)/m.exec(text)?.[1];
  const secret = /^aws_secret_access_key\s*=\s*(\S+)/m.exec(text)?.[1];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
}
