// Schemas written inline in a request body or a response (not `$ref`s to a named schema) become models of their
// own, so request validation and response models work for them as for named ones. A schema with an alphanumeric
// `title` gives the model its name; when a model of that name already exists the method uses it and AWS's warning
// is returned ("Ignoring response model for 200 response on method 'GET /p' because a model with the same name
// already exists. Please reference the defined model/schema, rather than redefine it on this method.", and the
// request form, quoted from AWS import warnings on repost.aws, "API Gateway deploy in Jenkins warnings on Open
// API 3.0 spec import"). Without a title the name is `MODEL` and a hash of the schema, so the same inline schema
// imported twice names the same model. (AWS's own naming of untitled inline models was not found in any
// recording; this is Gatehouse's choice.)
import { createHash } from 'node:crypto';
import type { ImportSession } from './import-session.ts';
import { jacksonStringify } from './jackson-json.ts';
import { rewriteSchemaRefs } from './import-refs.ts';

const TITLE = /^[A-Za-z0-9]+$/;

export interface InlineModelSite {
  /** `response` with its status code, or `request`. */
  kind: 'request' | 'response';
  statusCode?: string;
  /** `GET /pets`. */
  where: string;
}

/** The model an inline schema is imported as (created when new), or undefined when it could not be created. */
export async function inlineModel(session: ImportSession, schema: Record<string, unknown>, models: Set<string>, created: Map<string, string>, site: InlineModelSite): Promise<string | undefined> {
  const text = jacksonStringify(rewriteSchemaRefs(schema, session.apiId));
  const known = created.get(text);
  if (known) return known;
  const title = typeof schema.title === 'string' && TITLE.test(schema.title) ? schema.title : undefined;
  const name = title ?? `MODEL${createHash('sha256').update(text).digest('hex').slice(0, 6)}`;
  if (models.has(name)) {
    if (title) {
      session.warn(
        site.kind === 'response'
          ? `Ignoring response model for ${site.statusCode} response on method '${site.where}' because a model with the same name already exists. Please reference the defined model/schema, rather than redefine it on this method.`
          : `Ignoring request model for '${site.where}' because a model with the same name already exists. Please reference the defined model/schema, rather than redefine it on this method.`,
      );
    }
    return name;
  }
  const ok = await session.call('CreateModel', { name, contentType: 'application/json', schema: text }, `Unable to create model for '${name}'`);
  if (!ok) return undefined;
  models.add(name);
  created.set(text, name);
  return name;
}
