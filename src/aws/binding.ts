// Input binding and validation from the service model: path labels, query (repeated keys, free-form maps),
// headers, and the JSON or blob body become one plain object keyed by member names, checked against the
// model the way AWS's front end checks it:
//   wrong JSON types      → SerializationException ("STRING_VALUE can not be converted to an Integer")
//   missing required / enum / length / range → ValidationException
//     ("1 validation error detected: Value null at 'createRestApiInput.name' failed to satisfy constraint: ...")
import { type AwsError, SerializationException, ValidationException } from './errors.ts';
import { modelPattern, type MemberRef, type Operation, type ServiceModel, type Shape } from './model.ts';

export interface RawInput {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

type Problem = string;

// AWS's front end (Coral) names the Java class it read and the type it wanted, always with "an".
const JAVA_CLASS: Record<string, string> = {
  string: 'java.lang.String',
  number: 'com.amazon.coral.value.json.numbers.TruncatingBigNumber',
  boolean: 'java.lang.Boolean',
};

const JAVA_TARGET: Record<string, string> = {
  string: 'String',
  integer: 'Integer',
  long: 'Long',
  double: 'Double',
  float: 'Float',
  boolean: 'Boolean',
  timestamp: 'Date',
  blob: 'ByteBuffer',
  list: 'List',
  map: 'Map',
  structure: 'Structure',
};

function cannotConvert(kind: string, target: Shape['type']): AwsError {
  return new SerializationException(`class ${JAVA_CLASS[kind] ?? 'java.lang.Object'} can not be converted to an ${JAVA_TARGET[target] ?? target}`);
}

export interface BindingOptions {
  /** Enum value lists in the order AWS prints them in ValidationException texts, where it differs from the model. */
  enumOrder?: Record<string, readonly string[]>;
  /**
   * Map members (by member name) whose JSON null values are kept as null rather than dropped, where the service
   * answers them back as null (API Gateway's `responseTemplates`).
   */
  keepNullMapValues?: readonly string[];
}

export function bindInput(model: ServiceModel, op: Operation, raw: RawInput, opts: BindingOptions = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (!op.input) return input;
  const shape = model.shapes[op.input.shape]!;
  const members = shape.members ?? {};
  const consumedQuery = new Set<string>();
  for (const [name, ref] of Object.entries(members)) {
    if (ref.location === 'querystring' && model.shapes[ref.shape]?.type !== 'map') consumedQuery.add(ref.locationName ?? name);
  }

  // Body first: its members, or the payload member.
  const bodyMembers = Object.entries(members).filter(([, ref]) => !ref.location);
  if (shape.payload) {
    const ref = members[shape.payload]!;
    const target = model.shapes[ref.shape]!;
    if (target.type === 'blob' || target.type === 'string') {
      if (raw.body.length > 0) input[shape.payload] = target.type === 'blob' ? raw.body : raw.body.toString('utf8');
    } else if (raw.body.length > 0) {
      input[shape.payload] = coerceJson(model, parseBody(raw.body), ref, shape.payload, opts);
    }
  } else if (bodyMembers.length > 0 && raw.body.length > 0) {
    const doc = parseBody(raw.body);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new SerializationException(Array.isArray(doc) ? 'Start of list found where not expected' : 'Unexpected value type in payload: expected a structure');
    }
    for (const [name, ref] of bodyMembers) {
      const wire = ref.locationName ?? name;
      const v = (doc as Record<string, unknown>)[wire];
      if (v === undefined || v === null) continue;
      input[name] = coerceJson(model, v, ref, name, opts);
    }
  }

  for (const [name, ref] of Object.entries(members)) {
    const wire = ref.locationName ?? name;
    const target = model.shapes[ref.shape]!;
    switch (ref.location) {
      case 'uri': {
        const v = raw.labels[wire];
        if (v !== undefined) input[name] = coerceString(v, target, name);
        break;
      }
      case 'querystring': {
        if (target.type === 'map') {
          const map: Record<string, unknown> = {};
          let any = false;
          const valueShape = model.shapes[target.value!.shape]!;
          for (const key of new Set(raw.query.keys())) {
            if (consumedQuery.has(key)) continue;
            map[key] = valueShape.type === 'list' ? raw.query.getAll(key) : raw.query.get(key);
            any = true;
          }
          if (any) input[name] = map;
        } else if (target.type === 'list') {
          const all = raw.query.getAll(wire);
          if (all.length) input[name] = all.map((s) => coerceString(s, model.shapes[target.member!.shape]!, name));
        } else {
          const v = raw.query.get(wire);
          if (v !== null) input[name] = coerceString(v, target, name);
        }
        break;
      }
      case 'header': {
        const h = raw.headers[wire.toLowerCase()];
        const v = Array.isArray(h) ? h.join(',') : h;
        if (v !== undefined) input[name] = target.type === 'list' ? v.split(',').map((s) => s.trim()) : coerceString(v, target, name);
        break;
      }
      case 'headers': {
        const prefix = wire.toLowerCase();
        const map: Record<string, string> = {};
        for (const [k, h] of Object.entries(raw.headers)) {
          if (k.startsWith(prefix) && h !== undefined) map[k.slice(prefix.length)] = Array.isArray(h) ? h.join(',') : h;
        }
        if (Object.keys(map).length) input[name] = map;
        break;
      }
      default:
        break;
    }
  }

  const problems: Problem[] = [];
  validateStructure(model, shape, input, `${lowerFirst(op.name)}Input`, problems, opts, true);
  if (problems.length) {
    const n = problems.length;
    throw new ValidationException(`${n} validation error${n > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
  return input;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SerializationException(`Could not parse the request body as JSON: ${(e as Error).message}`);
  }
}

/** A scalar from the path, query or a header, converted to its model type. */
function coerceString(v: string, shape: Shape, name: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(v.trim())) throw cannotConvert('string', shape.type);
      return Number(v);
    }
    case 'double':
    case 'float': {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw cannotConvert('string', shape.type);
      return n;
    }
    case 'boolean': {
      if (v !== 'true' && v !== 'false') throw cannotConvert('string', 'boolean');
      return v === 'true';
    }
    case 'timestamp': {
      const d = /^\d+(\.\d+)?$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
      if (Number.isNaN(d.getTime())) throw cannotConvert('string', 'timestamp');
      return d;
    }
    default:
      return v;
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'structure' : typeof v;
}

function mismatch(v: unknown, target: Shape): AwsError {
  const k = kindOf(v);
  if (k === 'structure') return new SerializationException('Start of structure or map found where not expected.');
  if (k === 'list') return new SerializationException('Start of list found where not expected.');
  return cannotConvert(k, target.type);
}

/** Checks a JSON value against its shape, converting timestamps and blobs; throws SerializationException. */
function coerceJson(model: ServiceModel, v: unknown, ref: MemberRef, name: string, opts: BindingOptions): unknown {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case 'structure': {
      if (kindOf(v) !== 'structure') throw mismatch(v, shape);
      const out: Record<string, unknown> = {};
      for (const [mName, mRef] of Object.entries(shape.members ?? {})) {
        const val = (v as Record<string, unknown>)[mRef.locationName ?? mName];
        if (val === undefined || val === null) continue;
        out[mName] = coerceJson(model, val, mRef, mName, opts);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(v)) throw mismatch(v, shape);
      return v.map((item) => (item === null ? null : coerceJson(model, item, shape.member!, name, opts)));
    }
    case 'map': {
      if (kindOf(v) !== 'structure') throw mismatch(v, shape);
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        if (val === null) {
          if (opts.keepNullMapValues?.includes(name)) out[k] = null;
          continue;
        }
        out[k] = coerceJson(model, val, shape.value!, name, opts);
      }
      return { ...out };
    }
    case 'string':
      if (typeof v !== 'string') throw mismatch(v, shape);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw mismatch(v, shape);
      return v;
    case 'integer':
    case 'long':
      if (typeof v !== 'number') throw mismatch(v, shape);
      // Coral reads JSON numbers as a truncating big number: 1.9 becomes 1.
      return Math.trunc(v);
    case 'double':
    case 'float':
      if (typeof v !== 'number') throw mismatch(v, shape);
      return v;
    case 'timestamp': {
      if (typeof v === 'number') return new Date(v * 1000);
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v);
      throw mismatch(v, shape);
    }
    case 'blob': {
      if (typeof v !== 'string') throw mismatch(v, shape);
      return Buffer.from(v, 'base64');
    }
    default:
      return v;
  }
}

/** Constraint checks AWS reports as ValidationException, with the member path in AWS's form. */
function validateStructure(
  model: ServiceModel,
  shape: Shape,
  value: Record<string, unknown>,
  path: string,
  problems: Problem[],
  opts: BindingOptions,
  topLevel = false,
): void {
  // AWS names path-label members bare ('statusCode'), body and query members under the input ('xInput.name').
  const at = (name: string) => (topLevel && shape.members?.[name]?.location === 'uri' ? name : `${path}.${name}`);
  for (const req of shape.required ?? []) {
    if (value[req] === undefined || value[req] === null) {
      problems.push(`Value null at '${at(req)}' failed to satisfy constraint: Member must not be null`);
    }
  }
  // AWS reports body and query members before path labels.
  const members = Object.entries(shape.members ?? {});
  const ordered = topLevel ? [...members.filter(([, r]) => r.location !== 'uri'), ...members.filter(([, r]) => r.location === 'uri')] : members;
  for (const [name, ref] of ordered) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    validateValue(model, model.shapes[ref.shape]!, v, at(name), problems, opts, ref.shape);
  }
}

function enumValues(shape: Shape, opts: BindingOptions, shapeName: string | undefined): readonly string[] {
  return (shapeName && opts.enumOrder?.[shapeName]) || shape.enum || [];
}

function validateValue(model: ServiceModel, shape: Shape, v: unknown, path: string, problems: Problem[], opts: BindingOptions, shapeName?: string): void {
  switch (shape.type) {
    case 'structure':
      validateStructure(model, shape, v as Record<string, unknown>, path, problems, opts);
      return;
    case 'list': {
      const list = v as unknown[];
      checkLength(shape, list.length, path, problems, v);
      const memberName = shape.member!.shape;
      const member = model.shapes[memberName]!;
      if (member.enum) {
        // A bad value inside a list of enums is reported on the whole list, as AWS does.
        const allowed = enumValues(member, opts, memberName);
        if (list.some((item) => typeof item === 'string' && !member.enum!.includes(item))) {
          problems.push(
            `Value '[${list.join(', ')}]' at '${path}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(', ')}]]`,
          );
        }
        return;
      }
      list.forEach((item, i) => {
        if (item !== null && item !== undefined) validateValue(model, member, item, `${path}.${i + 1}.member`, problems, opts, memberName);
      });
      return;
    }
    case 'map': {
      const entries = Object.entries(v as Record<string, unknown>);
      checkLength(shape, entries.length, path, problems, v);
      const valueName = shape.value!.shape;
      const valueShape = model.shapes[valueName]!;
      for (const [, item] of entries) if (item !== null) validateValue(model, valueShape, item, `${path}`, problems, opts, valueName);
      return;
    }
    case 'string': {
      const s = v as string;
      if (shape.enum && !shape.enum.includes(s)) {
        problems.push(`Value '${s}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${enumValues(shape, opts, shapeName).join(', ')}]`);
        return;
      }
      checkLength(shape, s.length, path, problems, v);
      patternProblem(shape, s, path, problems);
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      rangeProblem(shape, v as number, path, problems);
      return;
    }
    case 'blob':
      checkLength(shape, (v as Buffer).length, path, problems, '<blob>');
      return;
    default:
      return;
  }
}

function checkLength(shape: Shape, len: number, path: string, problems: Problem[], v: unknown): void {
  const shown = typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `'[${v.join(', ')}]'` : typeof v === 'object' ? `'${JSON.stringify(v)}'` : `'${String(v)}'`;
  lengthProblem(shape, len, shown, path, problems);
}

// The texts of the models' scalar constraints, as AWS's front end words them (shared by every protocol).

/** `min`/`max` on a string's, list's or blob's length; `shown` is the value as AWS quotes it. */
export function lengthProblem(shape: Shape, len: number, shown: string, path: string, problems: string[]): void {
  if (shape.min !== undefined && len < shape.min) {
    problems.push(`Value ${shown} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
  } else if (shape.max !== undefined && len > shape.max) {
    problems.push(`Value ${shown} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
  }
}

/** `min`/`max` on a number. */
export function rangeProblem(shape: Shape, n: number, path: string, problems: string[]): void {
  if (shape.min !== undefined && n < shape.min) {
    problems.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`);
  } else if (shape.max !== undefined && n > shape.max) {
    problems.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`);
  }
}

/** `pattern` on a string. */
export function patternProblem(shape: Shape, s: string, path: string, problems: string[]): void {
  if (shape.pattern && !modelPattern(shape.pattern).test(s)) {
    problems.push(`Value '${s}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
}
