// List pagination as the apigateway API does it: `limit` (default 25, 1..500) and an opaque `position` token;
// the last page carries no position.
import { BadRequestException } from '../aws/errors.ts';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

export interface Page<T> {
  items: T[];
  position?: string;
}

/** Pages through `items` (already in the API's order). The token encodes the offset, opaque to clients. */
export function paginate<T>(items: readonly T[], input: { limit?: number; position?: string }): Page<T> {
  // A limit below 1 means the default (recorded: GetApiKeys with limit=-1 answers 200, LocalStack's AWS-validated
  // test_apigateway_extended.snapshot.json, test_negative_get_usage_plan_api_keys).
  const limit = input.limit === undefined || input.limit < 1 ? DEFAULT_LIMIT : input.limit;
  if (!Number.isInteger(limit) || limit > MAX_LIMIT) {
    throw new BadRequestException(`Invalid limit: ${limit}. The limit must be between 1 and ${MAX_LIMIT}.`);
  }
  let start = 0;
  if (input.position !== undefined && input.position !== '') {
    const decoded = decodePosition(input.position);
    if (decoded === undefined || decoded > items.length) throw new BadRequestException('Invalid position parameter');
    start = decoded;
  }
  const end = start + limit;
  const page: Page<T> = { items: items.slice(start, end) };
  if (end < items.length) page.position = encodePosition(end);
  return page;
}

function encodePosition(offset: number): string {
  return Buffer.from(`p1:${offset}`).toString('base64url');
}

function decodePosition(token: string): number | undefined {
  const m = /^p1:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/**
 * Pagination as the apigatewayv2 API does it: `MaxResults` and `NextToken` are strings in its model; without
 * MaxResults the whole list comes back (an empty list too), and the token is the offset of the next page.
 */
export function paginateV2<T>(items: readonly T[], input: { MaxResults?: unknown; NextToken?: unknown }): { page: T[]; nextToken?: string } {
  const max = input.MaxResults === undefined ? Math.max(items.length, 1) : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1) throw new BadRequestException(`Invalid maxResults: ${input.MaxResults}`);
  const start = input.NextToken === undefined ? 0 : Number(Buffer.from(String(input.NextToken), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new BadRequestException('Invalid nextToken');
  const page = items.slice(start, start + max);
  return start + max < items.length ? { page, nextToken: Buffer.from(String(start + max)).toString('base64url') } : { page };
}
