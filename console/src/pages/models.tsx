// An API's models: the list (GetModels), and a JSON Schema editor for a new or existing model. The editor checks
// that the text parses as a JSON object as you type; CreateModel and UpdateModel (patch /schema) judge the schema
// itself, and their error is shown as AWS words it.
import { CreateModelCommand, DeleteModelCommand, GetModelsCommand, UpdateModelCommand, type Model } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw } from '../apigw-features/calls.ts';
import { parseJsonObject, prettyJson } from '../ui/json.ts';
import type { PageProps } from '../routes.tsx';
import { Button, ErrorNote, Loading, Note, Section, TextArea, TextField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

const STARTER = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'Pet', type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' }, price: { type: 'number' } }, required: ['type'] }, null, 2);

function ModelEditor(props: { apiId: string; model?: Model; onSaved(name: string): void }) {
  const m = props.model;
  const [name, setName] = useState(m?.name ?? '');
  const [contentType, setContentType] = useState(m?.contentType ?? 'application/json');
  const [description, setDescription] = useState(m?.description ?? '');
  const [schema, setSchema] = useState(m?.schema ? prettyJson(m.schema) : STARTER);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const parsed = parseJsonObject(schema);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const ok = await action.run(() => m
      ? apigw().send(new UpdateModelCommand({ restApiId: props.apiId, modelName: m.name, patchOperations: [
        { op: 'replace', path: '/schema', value: schema },
        { op: 'replace', path: '/description', value: description },
      ] }))
      : apigw().send(new CreateModelCommand({ restApiId: props.apiId, name, contentType, description: description || undefined, schema })));
    if (ok) {
      setSaved(true);
      props.onSaved(m?.name ?? name);
    }
  };
  return (
    <form onSubmit={save} class="wide">
      <div class="row">
        {!m && <TextField label="Model name" name="name" value={name} onInput={setName} />}
        {!m && <TextField label="Content type" name="contentType" value={contentType} onInput={setContentType} />}
        <TextField label="Description" name="description" value={description} onInput={setDescription} />
      </div>
      <TextArea label="Model schema" name="schema" code rows={14} value={schema} onInput={setSchema} hint="JSON Schema draft 4, as API Gateway validates request bodies with it." />
      {parsed.error ? <p class="note warn" role="status">{parsed.error}</p> : <p class="json-ok" role="status">The schema parses as JSON.</p>}
      <ErrorNote error={action.error} />
      {saved && <Note kind="success">Model {m ? 'saved' : 'created'}.</Note>}
      <Button type="submit" variant="primary" busy={action.busy} disabled={Boolean(parsed.error)}>{m ? 'Save model' : 'Create model'}</Button>
    </form>
  );
}


export default function ModelsPage(props: PageProps) {
  const apiId = props.params.apiId!;
  const models = useAws(() => everyItem((position) => apigw().send(new GetModelsCommand({ restApiId: apiId, limit: 500, position }))), [apiId]);
  const [selected, setSelected] = useState<string | 'new'>();
  const action = useAction();
  const current = models.data?.find((m) => m.name === selected);
  return (
    <>
      <div class="page-head">
        <h1>Models</h1>
        <Button variant="primary" onClick={() => setSelected('new')}>Create model</Button>
      </div>
      <ErrorNote error={models.error ?? action.error} />
      {models.loading && !models.data && <Loading what="models" />}
      <div class="split">
        <ul class="tree" aria-label="Models">
          {models.data?.map((m) => (
            <li key={m.id}><a href="#" aria-current={m.name === selected ? 'true' : undefined} onClick={(e) => { e.preventDefault(); setSelected(m.name); }}>{m.name}</a> <span class="muted">{m.contentType}</span></li>
          ))}
          {models.data?.length === 0 && <li class="muted">No models yet.</li>}
        </ul>
        <div>
          {selected === 'new' && <Section title="Create model"><ModelEditor key="new" apiId={apiId} onSaved={(n) => { models.reload(); setSelected(n); }} /></Section>}
          {current && (
            <Section title={`Model ${current.name}`} actions={
              <Button variant="danger" onClick={async () => {
                if (window.confirm(`Delete model ${current.name}?`) && await action.run(() => apigw().send(new DeleteModelCommand({ restApiId: apiId, modelName: current.name })))) {
                  setSelected(undefined);
                  models.reload();
                }
              }}>Delete model</Button>
            }>
              <ModelEditor key={current.id} apiId={apiId} model={current} onSaved={models.reload} />
            </Section>
          )}
        </div>
      </div>
    </>
  );
}
