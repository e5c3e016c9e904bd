// Where a documentation part applies: a DocumentationPartLocation, checked per entity type as the API reference
// (DocumentationPartLocation) defines it, with AWS's defaults filled in (path '/', method and statusCode '*'), so two
// locations that differ only by an omitted default are the same location.
import { BadRequestException } from '../aws/errors.ts';

export interface DocumentationPartLocation {
  type: string;
  path?: string;
  method?: string;
  statusCode?: string;
  name?: string;
}

interface Rule {
  path: boolean;
  method: boolean;
  statusCode: boolean;
  /** 'required' | 'optional' | false */
  name: 'required' | 'optional' | false;
}

const R = (path: boolean, method: boolean, statusCode: boolean, name: Rule['name']): Rule => ({ path, method, statusCode, name });

// Which fields each type takes (API reference, DocumentationPartLocation: "It is a valid field for ...").
export const LOCATION_RULES: Record<string, Rule> = {
  API: R(false, false, false, false),
  AUTHORIZER: R(false, false, false, 'required'),
  MODEL: R(false, false, false, 'required'),
  RESOURCE: R(true, false, false, false),
  METHOD: R(true, true, false, false),
  PATH_PARAMETER: R(true, true, false, 'required'),
  QUERY_PARAMETER: R(true, true, false, 'required'),
  REQUEST_HEADER: R(true, true, false, 'required'),
  REQUEST_BODY: R(true, true, false, 'optional'),
  RESPONSE: R(true, true, true, false),
  RESPONSE_HEADER: R(true, true, true, 'required'),
  RESPONSE_BODY: R(true, true, true, false),
};

const METHODS = new Set(['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
// The model's DocumentationPartLocationStatusCode pattern.
const STATUS_CODE = /^([1-5]\d\d|\*)$/;

const FIELDS = ['path', 'method', 'statusCode', 'name'] as const;

/** The location with defaults applied, or AWS-style 400 for a field the type does not take or a malformed value. */
export function normaliseLocation(raw: Record<string, unknown>): DocumentationPartLocation {
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!(typeof v === 'string' && v.trim() === '' && k !== 'type')) input[k] = v;
  const type = String(input.type ?? '');
  const rule = LOCATION_RULES[type];
  if (!rule) {
    throw new BadRequestException(`Invalid documentation part location type: '${type}'. Must be one of: [${Object.keys(LOCATION_RULES).join(', ')}]`);
  }
  for (const f of FIELDS) {
    const v = input[f];
    // Absent, null and blank mean "not set" (the model's statusCode pattern itself admits blanks).
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    if (typeof v !== 'string') throw new BadRequestException(`Invalid documentation part location: '${f}' must be a string`);
    if (!(f === 'name' ? rule.name : rule[f])) {
      throw new BadRequestException(`Invalid location field '${f}' for documentation part of type ${type}`);
    }
  }
  const loc: DocumentationPartLocation = { type };
  if (rule.path) {
    const path = (input.path as string | undefined) ?? '/';
    if (!path.startsWith('/') || /\/\/|\s/.test(path) || (path.length > 1 && path.endsWith('/'))) {
      throw new BadRequestException(`Invalid documentation part location path: '${path}'`);
    }
    loc.path = path;
  }
  if (rule.method) {
    const method = (input.method as string | undefined) ?? '*';
    if (!METHODS.has(method)) {
      throw new BadRequestException(`Invalid documentation part location method: '${method}'. Must be one of: [${[...METHODS].join(', ')}]`);
    }
    loc.method = method;
  }
  if (rule.statusCode) {
    const statusCode = (input.statusCode as string | undefined) ?? '*';
    if (!STATUS_CODE.test(statusCode)) {
      throw new BadRequestException(`Invalid documentation part location statusCode: '${statusCode}'`);
    }
    loc.statusCode = statusCode;
  }
  if (rule.name) {
    const name = input.name as string | undefined;
    if (name === undefined || name === '') {
      if (rule.name === 'required') throw new BadRequestException(`Documentation part location of type ${type} requires a name`);
    } else {
      loc.name = name;
    }
  }
  return loc;
}

/** Identity of a (normalised) location: two parts may not share one. */
export function locationKey(loc: DocumentationPartLocation): string {
  return JSON.stringify([loc.type, loc.path ?? null, loc.method ?? null, loc.statusCode ?? null, loc.name ?? null]);
}

/** How AWS names a location in its duplicate error: `type 'METHOD', path '/pets', method 'GET'`. */
export function describeLocation(loc: DocumentationPartLocation): string {
  const parts = [`type '${loc.type}'`];
  for (const f of FIELDS) if (loc[f] !== undefined) parts.push(`${f} '${loc[f]}'`);
  return parts.join(', ');
}
