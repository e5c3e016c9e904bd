// What a GetExport call asks for: the export type from the path (`swagger` for Swagger 2.0, `oas30` for OpenAPI
// 3.0.1), the format from the Accept header (`application/json`, the default, or `application/yaml`), and the
// `extensions` parameter: a comma-separated list of `integrations` and `apigateway` (x-amazon-apigateway-integration
// on every operation; `apigateway` adds every other API Gateway extension), `authorizers`
// (x-amazon-apigateway-authorizer in the security schemes), `documentation` (the stage's documentation version as
// x-amazon-apigateway-documentation) and `postman` (x-postman-meta on operations Postman must sign:
// ./export-postman.ts). See "Export a REST API from API Gateway" in the developer guide and the GetExport API
// reference.
import { BadRequestException } from '../aws/errors.ts';
import type { ExportFormat } from './export-serialize.ts';

export type ExportType = 'swagger' | 'oas30';

export interface ExportOptions {
  type: ExportType;
  format: ExportFormat;
  integrations: boolean;
  authorizers: boolean;
  /** Every API-level and method-level x-amazon-apigateway-* extension besides the two above. */
  apigateway: boolean;
  documentation: boolean;
  /** Postman's extension (./export-postman.ts). */
  postman: boolean;
}

const KNOWN_EXTENSIONS = new Set(['integrations', 'apigateway', 'authorizers', 'documentation', 'postman']);

export function exportOptions(exportType: string, accepts: string | undefined, parameters: Record<string, string> | undefined): ExportOptions {
  if (exportType !== 'swagger' && exportType !== 'oas30') {
    throw new BadRequestException(`Unsupported export type '${exportType}': supported types are swagger and oas30`);
  }
  const format = formatOf(accepts);
  const extensions = (parameters?.extensions ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const e of extensions) {
    if (!KNOWN_EXTENSIONS.has(e)) throw new BadRequestException(`Invalid extensions value '${e}': valid values are integrations, apigateway, authorizers, documentation and postman`);
  }
  const all = extensions.includes('apigateway');
  return {
    type: exportType,
    format,
    integrations: all || extensions.includes('integrations'),
    authorizers: all || extensions.includes('authorizers'),
    apigateway: all,
    documentation: all || extensions.includes('documentation'),
    postman: extensions.includes('postman'),
  };
}

/** The Accept header's media type: JSON unless YAML is asked for; anything else is refused. */
function formatOf(accepts: string | undefined): ExportFormat {
  if (accepts === undefined || accepts.trim() === '') return 'json';
  const types = accepts.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  for (const t of types) {
    if (t === 'application/json' || t === '*/*' || t === 'application/*') return 'json';
    if (t === 'application/yaml' || t === 'application/x-yaml' || t === 'text/yaml') return 'yaml';
  }
  throw new BadRequestException(`Unsupported Accept header '${accepts}': exports are available as application/json and application/yaml`);
}
