// MOCK: no backend. The request template's output `{"statusCode": N}` sets the endpoint status (default 200), which
// then selects the integration response like a backend status would.
import { MultiMap } from '../headers.ts';
import type { IntegrationModule } from './integration.ts';

const EMPTY = Buffer.alloc(0);
/** MOCK endpoint responses have no headers; integration responses only read them. */
const NO_HEADERS = new MultiMap(true);
// Unquoted keys too: CDK's CORS preflight template is `{statusCode: 200}` (accepted by AWS, recorded in LocalStack's
// test_integration_mock_with_path_param).
const STATUS = /"?\bstatusCode"?\s*:\s*"?(\d{3})"?/;

// Request templates of MOCK integrations are mostly constant text: their parsed status is remembered.
const known = new Map<string, number>();

export function mockStatus(text: string): number {
  const hit = known.get(text);
  if (hit !== undefined) return hit;
  const status = parseStatus(text);
  if (text.length <= 256) {
    if (known.size >= 1000) known.clear();
    known.set(text, status);
  }
  return status;
}

function parseStatus(text: string): number {
  if (text.length === 0) return 200;
  try {
    const parsed = JSON.parse(text) as { statusCode?: unknown };
    const n = Number(parsed?.statusCode);
    if (parsed && typeof parsed === 'object' && parsed.statusCode !== undefined && Number.isInteger(n)) return n;
  } catch {
    // AWS reads the status leniently from template output that is not strict JSON.
    const m = STATUS.exec(text);
    if (m) return Number(m[1]);
  }
  return 200;
}

export const mockIntegration: IntegrationModule = {
  proxy: false,
  invoke(inv) {
    const body = inv.integrationRequest.body;
    const text = inv.integrationRequest.bodyText;
    const statusCode = body === 'stream' ? 200 : mockStatus(text ?? body.toString('utf8'));
    return { statusCode, headers: NO_HEADERS, body: EMPTY };
  },
};
