// The mapping template preview: renders the editor's text as it is now, saved or not, with Gatehouse's own engine
// and only the public API Gateway calls, without touching the API being edited. No AWS API renders a template that
// is not stored (TestInvokeMethod runs the stored method), and the console has no private API, so the preview stores
// the template somewhere harmless: a temporary REST API with the same resource path, whose method has a MOCK
// integration carrying the template. TestInvokeMethod on it logs the rendered body ("Endpoint request body after
// transformations"); no backend is called; the temporary API is deleted at once. What differs from the real method:
// $context.apiId and $context.resourceId are the temporary API's.
import {
  CreateResourceCommand, CreateRestApiCommand, DeleteRestApiCommand, PutIntegrationCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { apigw } from '../apigw/calls.ts';
import { renderedRequestBody, testInvoke, type SampleRequest } from './sample-request.tsx';

export const PREVIEW_API_NAME = 'gatehouse-console-template-preview';

export interface TemplatePreview {
  /** The rendered body, or undefined when the log has none (the request failed before: see the log). */
  body?: string;
  log?: string;
}

export async function previewTemplate(opts: {
  path: string;
  httpMethod: string;
  contentType: string;
  template: string;
  passthroughBehavior: string;
  sample: SampleRequest;
}): Promise<TemplatePreview> {
  const client = apigw();
  const scratch = await client.send(new CreateRestApiCommand({
    name: PREVIEW_API_NAME,
    description: 'Made by the Gatehouse console to render an unsaved mapping template; deleted right after.',
  }));
  let out: TemplatePreview | undefined;
  let failure: unknown;
  try {
    let resourceId = scratch.rootResourceId!;
    for (const pathPart of opts.path.split('/').filter(Boolean)) {
      resourceId = (await client.send(new CreateResourceCommand({ restApiId: scratch.id, parentId: resourceId, pathPart }))).id!;
    }
    await client.send(new PutMethodCommand({ restApiId: scratch.id, resourceId, httpMethod: opts.httpMethod, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({
      restApiId: scratch.id, resourceId, httpMethod: opts.httpMethod, type: 'MOCK',
      passthroughBehavior: opts.passthroughBehavior, requestTemplates: { [opts.contentType]: opts.template },
    }));
    // The template is chosen by the request's Content-Type: the sample sends the one being previewed unless it names one.
    const headers = opts.sample.headers.some(([k]) => k.toLowerCase() === 'content-type') ? opts.sample.headers : [...opts.sample.headers, ['Content-Type', opts.contentType] as [string, string]];
    const result = await testInvoke(scratch.id!, resourceId, opts.httpMethod, opts.path, { ...opts.sample, headers });
    out = { body: renderedRequestBody(result.log), log: result.log };
  } catch (err) {
    failure = err;
  }
  try {
    await client.send(new DeleteRestApiCommand({ restApiId: scratch.id }));
  } catch (err) {
    // Said loudly: the temporary API is left in the list, and the user should know which one to delete.
    throw new Error(`The temporary API ${scratch.id} (${PREVIEW_API_NAME}) could not be deleted: ${(err as Error).message}. Delete it from the APIs list.`);
  }
  if (failure !== undefined) throw failure;
  return out!;
}
