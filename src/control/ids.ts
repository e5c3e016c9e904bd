// Identifier generation in AWS's formats: lowercase alphanumerics, 10 characters for REST APIs, root resources
// and API keys, 6 for most children (resources, deployments, models, authorizers, usage plans ...).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[bytes[i]! % ALPHABET.length];
  return id;
}

/** API key values: 40 characters of mixed-case alphanumerics, as AWS generates. */
export function newApiKeyValue(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(40);
  let v = '';
  for (let i = 0; i < 40; i++) v += chars[bytes[i]! % chars.length];
  return v;
}
