// Integration responses: per method response status, the selection pattern (a regex over the backend's status or
// Lambda's errorMessage), header mappings and mapping templates. Each is saved whole with PutIntegrationResponse.
import { DeleteIntegrationResponseCommand, PutIntegrationResponseCommand, type IntegrationResponse, type Method } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw } from '../apigw/calls.ts';
import { Button, ErrorNote, Note, Section, SelectField, TextField } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, toPairs } from '../ui/kv-editor.tsx';
import { useAction } from '../ui/use-aws.ts';
import { TemplateEditor } from './template-editor.tsx';

function ResponseForm(props: { base: { restApiId: string; resourceId: string; httpMethod: string }; response: IntegrationResponse | undefined; statuses: string[]; onSaved(msg: string): void; onCancel?(): void }) {
  const r = props.response;
  const [statusCode, setStatusCode] = useState(r?.statusCode ?? props.statuses[0] ?? '200');
  const [pattern, setPattern] = useState(r?.selectionPattern ?? '');
  const [headers, setHeaders] = useState(toPairs(r?.responseParameters));
  const [contentType, setContentType] = useState(Object.keys(r?.responseTemplates ?? {})[0] ?? 'application/json');
  const [template, setTemplate] = useState(r?.responseTemplates?.[contentType] ?? '');
  const [contentHandling, setContentHandling] = useState(r?.contentHandling ?? '');
  const save = useAction();
  const title = r ? `Status ${r.statusCode}${r.selectionPattern ? ` for /${r.selectionPattern}/` : ' (default)'}` : 'New integration response';
  return (
    <Section title={title}>
      <form onSubmit={async (e) => {
        e.preventDefault();
        // An empty editor adds no template (the body passes through); one stored before stays, emptied, until deleted.
        const templates = { ...(r?.responseTemplates ?? {}) };
        if (template !== '' || contentType in templates) templates[contentType] = template;
        if (await save.run(() => apigw().send(new PutIntegrationResponseCommand({
          ...props.base, statusCode, selectionPattern: pattern || undefined,
          responseParameters: fromPairs(headers), responseTemplates: templates,
          contentHandling: (contentHandling || undefined) as IntegrationResponse['contentHandling'],
        })))) props.onSaved(`Integration response ${statusCode} saved.`);
      }}>
        <div class="row">
          {r ? <p><strong>Method response status:</strong> {r.statusCode}</p> : <SelectField label="Method response status" value={statusCode} options={props.statuses} onChange={setStatusCode} />}
          <TextField label="Selection pattern (regex; empty: the default response)" value={pattern} onInput={setPattern} placeholder="4\d{2} or .*NotFound.*" />
        </div>
        <KeyValueEditor label="Header mappings" keyLabel="Response header" valueLabel="Mapping value" pairs={headers} onChange={setHeaders}
          keyPlaceholder="method.response.header.X-Id" valuePlaceholder="integration.response.header.x-id or 'static'" />
        <div class="row">
          <TextField label="Template content type" value={contentType} onInput={(v) => { setContentType(v); setTemplate(r?.responseTemplates?.[v] ?? template); }} />
          <SelectField label="Content handling" value={contentHandling} options={[['', 'Passthrough'], ['CONVERT_TO_TEXT', 'Convert to text'], ['CONVERT_TO_BINARY', 'Convert to binary']]} onChange={setContentHandling} />
        </div>
        <TemplateEditor label={`Mapping template for ${contentType}`} value={template} onInput={setTemplate} />
        <ErrorNote error={save.error} />
        <div class="actions">
          <Button type="submit" variant="primary" busy={save.busy}>Save</Button>
          {r && <Button variant="danger" busy={save.busy} onClick={async () => {
            if (await save.run(() => apigw().send(new DeleteIntegrationResponseCommand({ ...props.base, statusCode: r.statusCode! })))) props.onSaved(`Integration response ${r.statusCode} deleted.`);
          }}>Delete</Button>}
          {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
        </div>
      </form>
    </Section>
  );
}

export function IntegrationResponsesEditor(props: { apiId: string; resourceId: string; method: Method; onSaved(): void }) {
  const base = { restApiId: props.apiId, resourceId: props.resourceId, httpMethod: props.method.httpMethod! };
  const [adding, setAdding] = useState(false);
  const [note, setNote] = useState<string>();
  const integration = props.method.methodIntegration;
  const type = integration?.type;
  const statuses = Object.keys(props.method.methodResponses ?? {});
  const done = (msg: string) => {
    setNote(msg);
    setAdding(false);
    props.onSaved();
  };
  if (!integration) return <Note kind="warn">This method has no integration yet: set one up in Integration request.</Note>;
  if (type === 'AWS_PROXY' || type === 'HTTP_PROXY') return <Note>A proxy integration returns the backend's response as it is: there are no integration responses to set.</Note>;
  return (
    <>
      {note && <Note kind="success">{note}</Note>}
      {statuses.length === 0 && <Note kind="warn">Add a method response first: an integration response maps to one of its status codes.</Note>}
      {Object.values(integration.integrationResponses ?? {}).map((r) => (
        <ResponseForm key={`${r.statusCode}:${JSON.stringify(r)}`} base={base} response={r} statuses={statuses} onSaved={done} />
      ))}
      {adding ? <ResponseForm base={base} response={undefined} statuses={statuses} onSaved={done} onCancel={() => setAdding(false)} />
        : statuses.length > 0 && <Button onClick={() => setAdding(true)}>Create integration response</Button>}
    </>
  );
}
