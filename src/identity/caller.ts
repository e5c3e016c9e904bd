// Who a request's access key belongs to: an IAM user's long-term key, an STS session, or — when signatures are not
// verified (no --require-auth) and the key is unknown — the account's root, so anonymous use keeps working.
import type { Tx } from '../store/store.ts';
import { C, type StoredAccessKey, type StoredSession, type StoredUser } from './records.ts';

export type Caller =
  | { kind: 'user'; user: StoredUser; accessKeyId: string }
  | { kind: 'session'; session: StoredSession }
  | { kind: 'root'; accountId: string };

export async function callerOf(tx: Tx, accessKeyId: string | undefined, accountId: string): Promise<Caller> {
  if (accessKeyId) {
    const key = await tx.get<StoredAccessKey>(C.accessKeys, accessKeyId);
    if (key) {
      const user = await tx.get<StoredUser>(C.users, key.UserName);
      if (user) return { kind: 'user', user, accessKeyId };
    }
    const session = await tx.get<StoredSession>(C.sessions, accessKeyId);
    if (session) return { kind: 'session', session };
  }
  return { kind: 'root', accountId };
}
