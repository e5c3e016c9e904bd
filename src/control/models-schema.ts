// Model schemas: API Gateway models are JSON Schema draft-04 documents, stored as the string the user sent.
// A schema must parse as JSON and be a valid draft-04 schema (checked against the draft-04 meta-schema with
// ajv-draft-04); `$ref`s to other models use the model URL
// `https://apigateway.amazonaws.com/restapis/{restApiId}/models/{modelName}` and must name an existing model.
// Every new REST API comes with the `Empty` and `Error` models, whose schemas are AWS's exact strings.
import Ajv04Module from 'ajv-draft-04';
import { BadRequestException } from '../aws/errors.ts';
import type { Model } from '../store/entities.ts';
import { newId } from './ids.ts';

// ajv-draft-04 is CommonJS: under nodenext its class is the module's `default` export.
const Ajv04 = Ajv04Module.default;
const ajv = new Ajv04({ strict: false, allErrors: false, validateSchema: true });

const INVALID_SCHEMA = 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified';

export const EMPTY_SCHEMA_TEXT = 'Model schema must have at least 1 property or array items defined';

const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/([^/]+)\/models\/([^/#]+)(?:#.*)?$/;

/** The model name a `$ref` designates, when it is an API Gateway model URL. */
export function modelNameOfRef(ref: string): { apiId: string; name: string } | undefined {
  const m = MODEL_URL.exec(ref);
  return m ? { apiId: m[1]!, name: decodeURIComponent(m[2]!) } : undefined;
}

/** Every `$ref` string in a schema document. */
export function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsOf(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

/**
 * Checks a model schema as CreateModel / UpdateModel do and returns the parsed document.
 * `modelExists` answers whether a model referenced by URL exists in this API.
 */
export function validateModelSchema(
  schema: string | undefined,
  apiId: string,
  modelExists: (name: string) => boolean,
): unknown {
  if (schema === undefined || schema.trim() === '') throw new BadRequestException(EMPTY_SCHEMA_TEXT);
  let doc: unknown;
  try {
    doc = JSON.parse(schema);
  } catch {
    throw new BadRequestException(`${INVALID_SCHEMA}]`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new BadRequestException(`${INVALID_SCHEMA}]`);
  // Checked against draft-04, the only draft API Gateway supports, whatever `$schema` the document names.
  const { $schema: _declared, ...body } = doc as Record<string, unknown>;
  let valid: boolean;
  try {
    valid = ajv.validateSchema(body) as boolean;
  } catch (e) {
    throw new BadRequestException(`${INVALID_SCHEMA}: ${(e as Error).message}]`);
  }
  if (!valid) {
    throw new BadRequestException(`${INVALID_SCHEMA}: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}]`);
  }
  for (const ref of refsOf(doc)) {
    if (ref.startsWith('#')) continue;
    const target = modelNameOfRef(ref);
    // A reference to anything but a model URL: AWS's text as quoted from a CloudFormation failure in
    // Dropsource/serverless-todo-api-example-complete#3.
    if (!target) throw new BadRequestException(`${INVALID_SCHEMA}, Model reference must be in canonical form]`);
    if (target.apiId !== apiId || !modelExists(target.name)) {
      throw new BadRequestException(`${INVALID_SCHEMA}, Unresolvable reference: ${ref}]`);
    }
  }
  return doc;
}

/** The two models AWS creates with every REST API, with fresh ids. */
export function defaultModels(): Model[] {
  return [
    {
      id: newId(6),
      name: 'Empty',
      contentType: 'application/json',
      description: 'This is a default empty schema model',
      schema: '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
    },
    {
      id: newId(6),
      name: 'Error',
      contentType: 'application/json',
      description: 'This is a default error schema model',
      schema:
        '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n' +
        '  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
    },
  ];
}
