// Request validators compiled per deployment: the required request parameters of a method and its request models
// as JSON Schema draft-04 validators (ajv), every model registered under its API Gateway model URL so `$ref`
// between models resolves. Failures carry AWS's messages and a validationErrorString in the wording of the
// Java json-schema-validator API Gateway uses.
import Ajv04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';

// ajv-draft-04 is CommonJS: under nodenext its class is the module's `default` export.
const Ajv04 = Ajv04Module.default;
import type { Method, Model, RequestValidator } from '../../store/entities.ts';
import { ecmaRegExp } from '../../regex/ecma.ts';

export const modelUrl = (apiId: string, name: string) => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;

/** The models of one deployment in one ajv instance. */
export class ModelRegistry {
  readonly #ajv: InstanceType<typeof Ajv04>;
  readonly #apiId: string;
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #names: Set<string>;

  constructor(apiId: string, models: readonly Model[]) {
    // Model `pattern`s run on the linear-time engine (src/regex/ecma.ts): a crafted body cannot make them
    // backtrack; a pattern only backtracking could run (backreferences, lookahead past the start) fails to compile.
    this.#ajv = new Ajv04({ strict: false, allErrors: true, validateSchema: false, logger: false, code: { regExp: ecmaRegExp } });
    this.#apiId = apiId;
    this.#names = new Set(models.map((m) => m.name));
    for (const m of models) {
      if (!m.schema) continue;
      try {
        const schema = JSON.parse(m.schema) as Record<string, unknown>;
        delete schema.id;
        this.#ajv.addSchema(schema, modelUrl(apiId, m.name));
      } catch {
        // An unparsable schema makes only the methods using it fail (at validation time, as a configuration error).
      }
    }
  }

  has(name: string): boolean {
    return this.#names.has(name);
  }

  /** The validator of a model; throws Error when the model's schema cannot be compiled. */
  validator(name: string): ValidateFunction {
    let v = this.#compiled.get(name);
    if (!v) {
      let got: ValidateFunction | undefined;
      try {
        got = this.#ajv.getSchema(modelUrl(this.#apiId, name));
      } catch (e) {
        throw new Error(`Invalid model specified: ${name}: ${(e as Error).message}`);
      }
      if (!got) throw new Error(`Invalid model specified: ${name}`);
      v = got;
      this.#compiled.set(name, v);
    }
    return v;
  }
}

export interface CompiledRequestValidation {
  /** Required parameters as [kind, name, display name]. */
  requiredParameters: Array<{ kind: 'path' | 'querystring' | 'header'; name: string }>;
  /** Body validators by request media type ('$default' as fallback); undefined when bodies are not validated. */
  bodyModels: Map<string, ValidateFunction> | undefined;
}

export function compileRequestValidation(method: Method, validator: RequestValidator | undefined, models: ModelRegistry): CompiledRequestValidation | undefined {
  if (!validator) return undefined;
  const requiredParameters: CompiledRequestValidation['requiredParameters'] = [];
  if (validator.validateRequestParameters) {
    for (const [expr, required] of Object.entries(method.requestParameters ?? {})) {
      if (!required) continue;
      const m = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(expr);
      if (!m) continue;
      const kind = m[1] === 'multivaluequerystring' ? 'querystring' : m[1] === 'multivalueheader' ? 'header' : (m[1] as 'path' | 'querystring' | 'header');
      requiredParameters.push({ kind, name: m[2]! });
    }
  }
  let bodyModels: Map<string, ValidateFunction> | undefined;
  if (validator.validateRequestBody && method.requestModels && Object.keys(method.requestModels).length > 0) {
    bodyModels = new Map();
    for (const [contentType, modelName] of Object.entries(method.requestModels)) {
      bodyModels.set(contentType.toLowerCase(), models.validator(modelName));
    }
  }
  if (requiredParameters.length === 0 && !bodyModels) return undefined;
  return { requiredParameters, bodyModels };
}

const q = (v: unknown) => JSON.stringify(v);
const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

/** One ajv error in the wording of com.github.fge json-schema-validator (what API Gateway reports). */
function describe(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, any>;
  const value = e.instancePath === '' ? data : pointer(data, e.instancePath);
  switch (e.keyword) {
    case 'required':
      return `object has missing required properties ([${q(p.missingProperty)}])`;
    case 'type': {
      const allowed = String(p.type).split(',');
      return `instance type (${typeName(value)}) does not match any allowed primitive type (allowed: [${allowed.map(q).join(',')}])`;
    }
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${p.limit}, found: ${value})`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${p.limit}, found: ${value})`;
    case 'enum':
      return `instance value (${q(value)}) not found in enum (possible values: [${(p.allowedValues as unknown[]).map(q).join(',')}])`;
    case 'minLength':
      return `string ${q(value)} is too short (length: ${String(value).length}, required minimum: ${p.limit})`;
    case 'maxLength':
      return `string ${q(value)} is too long (length: ${String(value).length}, maximum allowed: ${p.limit})`;
    case 'pattern':
      return `ECMA 262 regex ${q(p.pattern)} does not match input string ${q(value)}`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: [${q(p.additionalProperty)}]`;
    case 'minItems':
      return `array is too short: must have at least ${p.limit} elements but instance has ${(value as unknown[]).length} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${p.limit} elements but instance has ${(value as unknown[]).length} elements`;
    default:
      return `instance failed to match schema keyword ${e.keyword}: ${e.message ?? ''}`.trim();
  }
}

function pointer(data: unknown, path: string): unknown {
  let v: any = data;
  for (const raw of path.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

/** Validates a body; returns the validationErrorString on failure, undefined when valid. */
export function validateBody(validate: ValidateFunction, body: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    return `[Invalid JSON: ${(e as Error).message}]`;
  }
  if (validate(data)) return undefined;
  // required errors come one per missing property from ajv; fge reports them together.
  const errs = validate.errors ?? [];
  const missing = errs.filter((e) => e.keyword === 'required' && e.instancePath === '');
  const parts: string[] = [];
  if (missing.length > 1) parts.push(`object has missing required properties ([${missing.map((e) => q((e.params as any).missingProperty)).join(',')}])`);
  for (const e of errs) {
    if (missing.length > 1 && missing.includes(e)) continue;
    parts.push(describe(e, data));
  }
  // AWS's string carries its quotes escaped, so the documented `"$context.error.validationErrorString"` stays JSON.
  return `[${parts.join(', ')}]`.replace(/"/g, '\\"');
}
