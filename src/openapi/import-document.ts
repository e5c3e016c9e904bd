// Reading an API definition file for ImportRestApi / PutRestApi: the body as JSON or YAML, bounded in size and
// depth, and its OpenAPI version. API Gateway imports Swagger 2.0 and OpenAPI 3.0.x only (developer guide,
// "Develop REST APIs using OpenAPI"); anything else, including OpenAPI 3.1 and text that is neither JSON nor YAML,
// is answered "Invalid OpenAPI input." (recorded on AWS: localstack's test_apigateway_import.snapshot.json,
// test_import_api_bad_file; the 3.1 answer quoted from AWS in aws/aws-cli#8191).
import { parseDefinitionYaml } from './definition-yaml.ts';
import { BadRequestException } from '../aws/errors.ts';

export const INVALID_INPUT = 'Invalid OpenAPI input.';

/** AWS's limit on the definition file (ImportRestApi reference: "The maximum size of the API definition file is 6MB"). */
export const MAX_DEFINITION_BYTES = 6 * 1024 * 1024;
/** Deeper than any real definition; keeps recursive walks over the document bounded. */
const MAX_DEPTH = 64;

export type OpenApiVersion = 'swagger2' | 'oas30';

export interface Definition {
  version: OpenApiVersion;
  doc: Record<string, any>;
}

function bodyBytes(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.alloc(0);
}

/** Whether the document nests deeper than MAX_DEPTH (iteratively: a hostile document cannot blow the stack). */
function tooDeep(root: unknown): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) return true;
    for (const v of Array.isArray(node) ? node : Object.values(node)) if (v && typeof v === 'object') stack.push([v, depth + 1]);
  }
  return false;
}

function parseText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadRequestException(INVALID_INPUT);
    }
  }
  try {
    return parseDefinitionYaml(text);
  } catch {
    throw new BadRequestException(INVALID_INPUT);
  }
}

/** The definition in a request body, or AWS's BadRequestException. */
export function loadDefinition(body: unknown): Definition {
  const bytes = bodyBytes(body);
  if (bytes.length > MAX_DEFINITION_BYTES) {
    throw new BadRequestException(`API definition file size exceeds the maximum allowed size of ${MAX_DEFINITION_BYTES} bytes`);
  }
  // A byte order mark is not part of the document (editors on Windows write one).
  const doc = parseText(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new BadRequestException(INVALID_INPUT);
  if (tooDeep(doc)) throw new BadRequestException(INVALID_INPUT);
  const d = doc as Record<string, any>;
  let version: OpenApiVersion;
  if (String(d.swagger) === '2.0' || String(d.swagger) === '2') version = 'swagger2';
  // `openapi: 3.0` unquoted in YAML is the number 3.
  else if ((typeof d.openapi === 'string' && /^3\.0(\.\d+)?$/.test(d.openapi)) || d.openapi === 3) version = 'oas30';
  else throw new BadRequestException(INVALID_INPUT);
  if (d.paths !== undefined && (d.paths === null || typeof d.paths !== 'object' || Array.isArray(d.paths))) {
    throw new BadRequestException(INVALID_INPUT);
  }
  return { version, doc: d };
}
