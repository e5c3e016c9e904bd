// A verified token's claims as API Gateway hands them on ($context.authorizer.claims.*, the proxy event's
// requestContext.authorizer.claims): every value a string. As recorded from real Cognito authorizers (a claims
// map quoted on AWS re:Post, "AWS Cognito Group", QUFJRBaEJRSmmqarNrvCWoQA): the JWT's date claims `exp` and `iat`
// become Java's Date.toString() in UTC (`Tue Apr 04 18:39:39 UTC 2023`), other numbers and booleans their text
// (`auth_time: '1680629979'`, `'true'`), and a list such as `cognito:groups` its items joined by commas
// (`group-a,group-b`; a single group is just its name).

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** java.util.Date#toString() in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`. */
export function javaDateString(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

// The registered JWT claims whose values are NumericDates (RFC 7519 §4.1), read as dates by API Gateway.
const DATE_CLAIMS = new Set(['exp', 'iat', 'nbf']);

function claimText(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return DATE_CLAIMS.has(name) && Number.isFinite(value) ? javaDateString(value) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
  return JSON.stringify(value);
}

/** The claims map an authorizer hands on (a fresh object with only own, string-valued properties). */
export function claimsAsStrings(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    // A hostile token may name a claim `__proto__`: kept as a plain property, never the object's prototype.
    if (name === '__proto__') Object.defineProperty(out, name, { value: claimText(name, value), enumerable: true, writable: true, configurable: true });
    else out[name] = claimText(name, value);
  }
  return out;
}
