// IAM's and STS's errors: the code and status their models give each error shape, rendered by the awsQuery
// protocol as `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>…`.
import { AwsError } from '../aws/errors.ts';

const kind = (code: string, status: number) => (message: string) => new AwsError(code, status, message);

export const noSuchEntity = kind('NoSuchEntity', 404);
export const entityAlreadyExists = kind('EntityAlreadyExists', 409);
export const deleteConflict = kind('DeleteConflict', 409);
export const limitExceeded = kind('LimitExceeded', 409);
export const malformedPolicyDocument = kind('MalformedPolicyDocument', 400);
export const invalidInput = kind('InvalidInput', 400);
export const validationError = kind('ValidationError', 400);
export const accessDenied = kind('AccessDenied', 403);

/**
 * The structural checks IAM makes of a policy document before storing it (what it checks of the grammar beyond
 * JSON syntax is not reproduced: statements are not validated element by element).
 */
export function checkPolicyDocument(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw malformedPolicyDocument('This policy contains invalid Json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformedPolicyDocument('Syntax errors in policy.');
  const statement = (parsed as { Statement?: unknown }).Statement;
  if (statement === undefined) throw malformedPolicyDocument('Syntax errors in policy.');
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const s of statements) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw malformedPolicyDocument('Syntax errors in policy.');
    const effect = (s as { Effect?: unknown }).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw malformedPolicyDocument('Syntax errors in policy.');
  }
}
