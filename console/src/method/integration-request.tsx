// Integration request: the integration's type, target (HTTP method and URI, or a Lambda function), passthrough
// behaviour, timeout, parameter mappings and mapping templates per content type, with a live preview of the editor's
// text, saved or not, rendered against a sample request (./template-preview.ts: on a temporary API, never this one).
import { PutIntegrationCommand, UpdateIntegrationCommand, type Integration, type PatchOperation } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw, mapPatch, replaceIfChanged } from '../apigw/calls.ts';
import { Button, ErrorNote, Note, Section, SelectField, TextField } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, toPairs, type Pairs } from '../ui/kv-editor.tsx';
import { useAction } from '../ui/use-aws.ts';
import { emptySample, SampleRequestForm } from './sample-request.tsx';
import { TemplateEditor } from './template-editor.tsx';
import { previewTemplate, type TemplatePreview } from './template-preview.ts';

const TYPES = [['MOCK', 'Mock'], ['AWS_PROXY', 'Lambda proxy (AWS_PROXY)'], ['AWS', 'AWS service or Lambda (AWS)'], ['HTTP_PROXY', 'HTTP proxy'], ['HTTP', 'HTTP']] as const;

interface Edit {
  type: string;
  httpMethod: string;
  uri: string;
  passthroughBehavior: string;
  timeout: string;
  params: Pairs;
  templates: Record<string, string>;
}

function editOf(i: Integration | undefined): Edit {
  return {
    type: i?.type ?? 'MOCK',
    httpMethod: i?.httpMethod ?? 'POST',
    uri: i?.uri ?? '',
    passthroughBehavior: i?.passthroughBehavior ?? 'WHEN_NO_MATCH',
    timeout: String(i?.timeoutInMillis ?? 29000),
    params: toPairs(i?.requestParameters),
    templates: { ...(i?.requestTemplates ?? {}) },
  };
}

/** UpdateIntegration operations from the stored integration to the edit (same type). */
export function integrationPatch(i: Integration, e: Edit): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (e.type !== 'MOCK') {
    ops.push(...replaceIfChanged('/httpMethod', i.httpMethod, e.httpMethod), ...replaceIfChanged('/uri', i.uri, e.uri));
    ops.push(...replaceIfChanged('/timeoutInMillis', String(i.timeoutInMillis ?? 29000), e.timeout));
  }
  ops.push(...replaceIfChanged('/passthroughBehavior', i.passthroughBehavior ?? 'WHEN_NO_MATCH', e.passthroughBehavior));
  ops.push(...mapPatch('/requestParameters', i.requestParameters, fromPairs(e.params)));
  ops.push(...mapPatch('/requestTemplates', i.requestTemplates, e.templates));
  return ops;
}

export function IntegrationRequestEditor(props: { apiId: string; resourceId: string; httpMethod: string; path: string; integration: Integration | undefined; onSaved(): void }) {
  const [edit, setEdit] = useState(() => editOf(props.integration));
  const [contentType, setContentType] = useState(() => Object.keys(edit.templates)[0] ?? 'application/json');
  const [newType, setNewType] = useState('');
  const [sample, setSample] = useState(emptySample);
  const [preview, setPreview] = useState<TemplatePreview>();
  const previewing = useAction();
  const [saved, setSaved] = useState<string>();
  const save = useAction();
  const set = <K extends keyof Edit>(k: K) => (v: Edit[K]) => {
    setSaved(undefined);
    setEdit((e) => ({ ...e, [k]: v }));
  };
  const proxy = edit.type === 'AWS_PROXY' || edit.type === 'HTTP_PROXY';
  const base = { restApiId: props.apiId, resourceId: props.resourceId, httpMethod: props.httpMethod };

  const persist = async () => {
    const i = props.integration;
    if (!i || i.type !== edit.type) {
      // A new type is a new integration (PutIntegration): its integration responses start empty, as on AWS.
      await apigw().send(new PutIntegrationCommand({
        ...base, type: edit.type as Integration['type'],
        integrationHttpMethod: edit.type === 'MOCK' ? undefined : edit.httpMethod,
        uri: edit.type === 'MOCK' ? undefined : edit.uri,
        passthroughBehavior: edit.passthroughBehavior,
        timeoutInMillis: edit.type === 'MOCK' ? undefined : Number(edit.timeout),
        requestParameters: fromPairs(edit.params),
        requestTemplates: edit.templates,
      }));
      return;
    }
    const ops = integrationPatch(i, edit);
    if (ops.length) await apigw().send(new UpdateIntegrationCommand({ ...base, patchOperations: ops }));
  };

  return (
    <Section title="Integration request settings" id="integration-request-title">
      <form onSubmit={async (e) => {
        e.preventDefault();
        if (await save.run(persist)) {
          setSaved(props.integration && props.integration.type !== edit.type ? 'Integration replaced: add its integration responses again.' : 'Integration request saved.');
          props.onSaved();
        }
      }}>
        <SelectField label="Integration type" value={edit.type} options={TYPES} onChange={set('type')} />
        {edit.type !== 'MOCK' && (
          <div class="row">
            <SelectField label="HTTP method" value={edit.httpMethod} options={['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']} onChange={set('httpMethod')} />
            <TextField label={edit.type.startsWith('AWS') ? 'URI (Lambda: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations)' : 'Endpoint URL'}
              value={edit.uri} onInput={set('uri')} required />
          </div>
        )}
        {edit.type !== 'MOCK' && <TextField label="Timeout (ms)" type="number" value={edit.timeout} onInput={set('timeout')} />}
        {!proxy && (
          <>
            <SelectField label="Request body passthrough" value={edit.passthroughBehavior} onChange={set('passthroughBehavior')}
              options={[['WHEN_NO_MATCH', 'When no template matches the Content-Type'], ['WHEN_NO_TEMPLATES', 'When no templates are defined'], ['NEVER', 'Never']]} />
            <KeyValueEditor label="Parameter mappings" keyLabel="Integration parameter" valueLabel="Mapped from" pairs={edit.params} onChange={set('params')}
              keyPlaceholder="integration.request.header.x-id" valuePlaceholder="method.request.path.id" />
            <fieldset class="kv-editor">
              <legend>Mapping templates</legend>
              <div class="row">
                <SelectField label="Content type" value={contentType} options={[...new Set([contentType, ...Object.keys(edit.templates)])]} onChange={setContentType} />
                <TextField label="Add content type" value={newType} onInput={setNewType} placeholder="application/xml" />
                <Button onClick={() => {
                  const t = newType.trim();
                  if (!t) return;
                  set('templates')({ ...edit.templates, [t]: edit.templates[t] ?? '' });
                  setContentType(t);
                  setNewType('');
                }}>Add</Button>
                {contentType in edit.templates && <Button variant="danger" onClick={() => {
                  const rest = { ...edit.templates };
                  delete rest[contentType];
                  set('templates')(rest);
                  setContentType(Object.keys(rest)[0] ?? 'application/json');
                }}>Remove template</Button>}
              </div>
              <TemplateEditor label={`Template for ${contentType}`} value={edit.templates[contentType] ?? ''} onInput={(v) => set('templates')({ ...edit.templates, [contentType]: v })} />
            </fieldset>
          </>
        )}
        {proxy && <p class="muted">A proxy integration passes the request through: no mappings or templates.</p>}
        <ErrorNote error={save.error} />
        {saved && <Note kind="success">{saved}</Note>}
        <Button type="submit" variant="primary" busy={save.busy}>Save</Button>
      </form>
      {!proxy && (
        <details class="preview">
          <summary>Preview the template against a sample request</summary>
          <p class="muted">
            Renders the template in the editor as it is now, saved or not, without changing this API: the console
            makes a temporary API with the same resource path whose method has a MOCK integration with this template,
            runs TestInvokeMethod on it with the sample request, shows the body the log reports after transformation,
            and deletes the temporary API. No backend is called. <code>$context.apiId</code> and{' '}
            <code>$context.resourceId</code> are the temporary API's; the Test tab runs the saved method itself.
          </p>
          <SampleRequestForm path={props.path} sample={sample} onChange={setSample} />
          <ErrorNote error={previewing.error} />
          <Button busy={previewing.busy} onClick={async () => {
            setPreview(undefined);
            await previewing.run(async () => setPreview(await previewTemplate({
              path: props.path, httpMethod: props.httpMethod, contentType, template: edit.templates[contentType] ?? '',
              passthroughBehavior: edit.passthroughBehavior, sample,
            })));
          }}>Preview</Button>
          {preview && (
            <>
              <h3>Rendered integration request body</h3>
              <pre data-testid="template-preview">{preview.body ?? '(none: the request failed before the integration; the log says why)'}</pre>
              <details open={preview.body === undefined}>
                <summary>Execution log of the preview</summary>
                <pre data-testid="template-preview-log">{preview.log}</pre>
              </details>
            </>
          )}
        </details>
      )}
    </Section>
  );
}
