// Answers API Gateway's front end gives before an API is even looked up, outside the gateway-response machinery
// (they cannot be customised and carry no request id). Recorded from AWS: a request body over 10 MB gets
//   413, Content-Type: text; charset=utf-8, "HTTP content length exceeded 10485760 bytes."
import { MultiMap } from '../headers.ts';
import type { RenderedResponse } from './gateway-response.ts';

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export class PayloadTooLargeError extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`);
    Error.stackTraceLimit = limit;
  }
}

export function payloadTooLargeResponse(): RenderedResponse {
  const headers = new MultiMap(true);
  headers.set('Content-Type', 'text; charset=utf-8');
  return { statusCode: 413, headers, body: `HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.` };
}
