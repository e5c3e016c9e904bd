// GetExport's document: a stage's deployment (the frozen snapshot, never the live API) as Swagger 2.0 or OpenAPI
// 3.0.1, shaped as API Gateway shapes it (LocalStack's test_apigateway_extended.snapshot.json records AWS's
// exports of two APIs in both types, with and without extensions): `info` (swagger: description, version, title;
// oas30: title, description, version), the execute-api host and `/{stage}` base path (swagger) or one server
// with a `basePath` variable (oas30), paths in resource-path order (swagger) or HashMap order (oas30), methods
// in the order get, put, post, delete, options, head, patch, ANY as x-amazon-apigateway-any-method; security
// schemes; models; then the requested x-amazon-apigateway-* extensions. `info.version` is the API's version, else
// the deployment's date.
import type { DeploymentSnapshot, Method } from '../store/entities.ts';
import { apiExtensions, documentationExtension, isoSeconds, type DocumentationSnapshot } from './export-api-extensions.ts';
import { integrationExtension } from './export-integration.ts';
import { exportedSchemas } from './export-models.ts';
import { exportOperation } from './export-operation.ts';
import { postmanMeta, withPostmanMeta } from './export-postman.ts';
import type { ExportOptions } from './export-options.ts';
import { operationSecurity, securitySchemes, type SecurityContext } from './export-security.ts';
import { serializeExport } from './export-serialize.ts';
import { javaHashMapOrder } from './java-order.ts';

export interface ExportSource {
  snapshot: DeploymentSnapshot;
  deploymentCreatedDate: number;
  stageName: string;
  region: string;
  /** The stage's documentation version, when it has one. */
  documentation?: DocumentationSnapshot;
}

export interface ExportResult {
  body: Buffer;
  contentType: string;
  contentDisposition: string;
}

const VERB_ORDER = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'ANY'];

const verbKey = (verb: string) => (verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase());

export function exportDeployment(source: ExportSource, options: ExportOptions): ExportResult {
  const doc = exportDocument(source, options);
  const version = infoVersion(source);
  const ext = options.format === 'json' ? 'json' : 'yaml';
  return {
    body: Buffer.from(serializeExport(doc, options.format)),
    // AWS answers application/octet-stream whatever the format (recorded in the snapshot above).
    contentType: 'application/octet-stream',
    contentDisposition: `attachment; filename="${options.type}_${version}.${ext}"`,
  };
}

function infoVersion(source: ExportSource): string {
  return source.snapshot.restApi.version ?? isoSeconds(source.deploymentCreatedDate);
}

export function exportDocument(source: ExportSource, options: ExportOptions): Record<string, unknown> {
  const { snapshot } = source;
  const api = snapshot.restApi;
  const swagger = options.type === 'swagger';
  const refPrefix = swagger ? '#/definitions/' : '#/components/schemas/';
  const security: SecurityContext = {
    authorizersById: new Map(snapshot.authorizers.map((a) => [a.id, a])),
    withAuthorizers: options.authorizers,
  };
  const validatorNames = new Map(snapshot.requestValidators.map((v) => [v.id, v.name ?? v.id]));
  const allMethods: Method[] = [];

  const pathItems = new Map<string, Record<string, unknown>>();
  for (const resource of snapshot.resources) {
    const methods = resource.resourceMethods;
    if (!methods || Object.keys(methods).length === 0) continue;
    const item: Record<string, unknown> = {};
    for (const verb of VERB_ORDER) {
      const m = methods[verb];
      if (!m) continue;
      allMethods.push(m);
      let op = exportOperation(m, options.type, refPrefix);
      const requirements = operationSecurity(m, security);
      if (requirements) op.security = requirements;
      if (options.apigateway && m.requestValidatorId && validatorNames.has(m.requestValidatorId)) {
        op['x-amazon-apigateway-request-validator'] = validatorNames.get(m.requestValidatorId);
      }
      if (options.integrations && m.methodIntegration) op['x-amazon-apigateway-integration'] = integrationExtension(m.methodIntegration);
      const postman = options.postman ? postmanMeta(m, source.region) : undefined;
      if (postman) op = withPostmanMeta(op, postman);
      item[verbKey(verb)] = op;
    }
    pathItems.set(resource.path, item);
  }
  const pathOrder = swagger ? [...pathItems.keys()].sort() : javaHashMapOrder([...pathItems.keys()]);
  const paths: Record<string, unknown> = {};
  for (const p of pathOrder) paths[p] = pathItems.get(p);

  const schemes = securitySchemes(allMethods, security);
  const schemas = exportedSchemas(snapshot.models, refPrefix, swagger);
  const host = `${api.id}.execute-api.${source.region}.amazonaws.com`;
  const version = infoVersion(source);

  const doc: Record<string, unknown> = {};
  if (swagger) {
    doc.swagger = '2.0';
    doc.info = { ...(api.description !== undefined ? { description: api.description } : {}), version, title: api.name };
    doc.host = host;
    doc.basePath = `/${source.stageName}`;
    doc.schemes = ['https'];
    doc.paths = paths;
    if (schemes) doc.securityDefinitions = schemes;
    if (Object.keys(schemas).length) doc.definitions = schemas;
  } else {
    doc.openapi = '3.0.1';
    doc.info = { title: api.name, ...(api.description !== undefined ? { description: api.description } : {}), version };
    doc.servers = [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: source.stageName } } }];
    doc.paths = paths;
    const components: Record<string, unknown> = {};
    if (Object.keys(schemas).length) components.schemas = schemas;
    if (schemes) components.securitySchemes = schemes;
    doc.components = components;
  }
  if (options.apigateway) Object.assign(doc, apiExtensions(snapshot));
  if (options.documentation && source.documentation) doc['x-amazon-apigateway-documentation'] = documentationExtension(source.documentation);
  return doc;
}
