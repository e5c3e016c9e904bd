// Method responses: the status codes the method declares, their headers and response models; saved whole with
// PutMethodResponse, deleted with DeleteMethodResponse.
import { DeleteMethodResponseCommand, PutMethodResponseCommand, type Method, type MethodResponse } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw } from '../apigw/calls.ts';
import { Button, ErrorNote, Note, Section, TextField } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, toPairs, type Pairs } from '../ui/kv-editor.tsx';
import { useAction } from '../ui/use-aws.ts';

const HEADER = 'method.response.header.';

function ResponseForm(props: { base: { restApiId: string; resourceId: string; httpMethod: string }; response: MethodResponse | undefined; onSaved(msg: string): void; onCancel?(): void }) {
  const r = props.response;
  const [statusCode, setStatusCode] = useState(r?.statusCode ?? '');
  const [headers, setHeaders] = useState<Pairs>(Object.entries(r?.responseParameters ?? {}).map(([k, req]) => [k.replace(HEADER, ''), req ? 'required' : '']));
  const [models, setModels] = useState<Pairs>(toPairs(r?.responseModels));
  const save = useAction();
  return (
    <Section title={r ? `Status ${r.statusCode}` : 'New method response'}>
      <form onSubmit={async (e) => {
        e.preventDefault();
        const responseParameters = Object.fromEntries(headers.filter(([k]) => k.trim()).map(([k, v]) => [`${HEADER}${k.trim()}`, v.trim() === 'required']));
        if (await save.run(() => apigw().send(new PutMethodResponseCommand({ ...props.base, statusCode, responseParameters, responseModels: fromPairs(models) })))) {
          props.onSaved(`Method response ${statusCode} saved.`);
        }
      }}>
        {!r && <TextField label="HTTP status code" value={statusCode} onInput={setStatusCode} required placeholder="404" />}
        <KeyValueEditor label="Response headers" keyLabel="Header name" valueLabel="Required (type required)" pairs={headers} onChange={setHeaders} keyPlaceholder="Access-Control-Allow-Origin" valuePlaceholder="required or empty" />
        <KeyValueEditor label="Response models" keyLabel="Content type" valueLabel="Model" pairs={models} onChange={setModels} keyPlaceholder="application/json" valuePlaceholder="Empty" />
        <ErrorNote error={save.error} />
        <div class="actions">
          <Button type="submit" variant="primary" busy={save.busy}>Save</Button>
          {r && <Button variant="danger" busy={save.busy} onClick={async () => {
            if (await save.run(() => apigw().send(new DeleteMethodResponseCommand({ ...props.base, statusCode: r.statusCode! })))) props.onSaved(`Method response ${r.statusCode} deleted.`);
          }}>Delete</Button>}
          {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
        </div>
      </form>
    </Section>
  );
}

export function MethodResponsesEditor(props: { apiId: string; resourceId: string; method: Method; onSaved(): void }) {
  const base = { restApiId: props.apiId, resourceId: props.resourceId, httpMethod: props.method.httpMethod! };
  const [adding, setAdding] = useState(false);
  const [note, setNote] = useState<string>();
  const done = (msg: string) => {
    setNote(msg);
    setAdding(false);
    props.onSaved();
  };
  return (
    <>
      {note && <Note kind="success">{note}</Note>}
      {Object.values(props.method.methodResponses ?? {}).map((r) => <ResponseForm key={`${r.statusCode}:${JSON.stringify(r)}`} base={base} response={r} onSaved={done} />)}
      {adding ? <ResponseForm base={base} response={undefined} onSaved={done} onCancel={() => setAdding(false)} /> : <Button onClick={() => setAdding(true)}>Create response</Button>}
    </>
  );
}
