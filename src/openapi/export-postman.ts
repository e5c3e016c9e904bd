// GetExport's `extensions=postman`: the OpenAPI export with Postman's extension on each operation that Postman must
// sign, so that importing the file into Postman gives requests that call the API as it is secured. The developer
// guide ("Export a REST API from API Gateway") says only that Postman extensions are added to the exported
// OpenAPI file; their shape here is `x-postman-meta` with Postman's `awsSigV4` helper, as Postman's own OpenAPI
// importer reads it from API Gateway exports (postmanlabs/openapi-to-postman: its `swagger_aws.json` test document,
// an API Gateway export, and the `x-postman-meta` handling that turns it into a request's `auth`). Credentials are
// Postman variables, never values: the export does not know (and must not carry) a caller's keys. No AWS recording
// of a postman export was found, so which operations carry it (AWS_IAM methods here, the only ones Postman has to
// sign) and the member order are this implementation's choice.
import type { Method } from '../store/entities.ts';

export const POSTMAN_EXTENSION = 'x-postman-meta';

/** The extension for a method, or undefined when Postman has nothing to add (methods not authorized by AWS_IAM). */
export function postmanMeta(m: Method, region: string): Record<string, unknown> | undefined {
  if (m.authorizationType !== 'AWS_IAM') return undefined;
  return {
    currentHelper: 'awsSigV4',
    helperAttributes: {
      accessKey: '{{aws_access_key_id}}',
      secretKey: '{{aws_secret_access_key}}',
      region,
      service: 'execute-api',
      saveHelper: true,
    },
  };
}

/** The operation with the extension placed before its responses, where Postman's example documents have it. */
export function withPostmanMeta(op: Record<string, unknown>, meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) {
    if (k === 'responses') out[POSTMAN_EXTENSION] = meta;
    out[k] = v;
  }
  if (!(POSTMAN_EXTENSION in out)) out[POSTMAN_EXTENSION] = meta;
  return out;
}
