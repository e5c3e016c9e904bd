// An API's gateway responses: every response type with its status code, header mappings and templates
// (GetGatewayResponses, defaults included), edited with PutGatewayResponse and reset to the default with
// DeleteGatewayResponse, as the AWS console's "Gateway responses" page does.
import { DeleteGatewayResponseCommand, GetGatewayResponsesCommand, PutGatewayResponseCommand, type GatewayResponse, type GatewayResponseType } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw, linesToMap, mapToLines } from '../apigw-features/calls.ts';
import type { PageProps } from '../routes.tsx';
import { Button, ErrorNote, Loading, Note, Section, TextArea, TextField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

function ResponseEditor(props: { apiId: string; response: GatewayResponse; onSaved(done: string): void }) {
  const r = props.response;
  const [status, setStatus] = useState(r.statusCode ?? '');
  const [headers, setHeaders] = useState(mapToLines(r.responseParameters));
  const [template, setTemplate] = useState(r.responseTemplates?.['application/json'] ?? '');
  const action = useAction();
  const put = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(() => apigw().send(new PutGatewayResponseCommand({
      restApiId: props.apiId, responseType: r.responseType, statusCode: status || undefined,
      responseParameters: linesToMap(headers), responseTemplates: { ...r.responseTemplates, 'application/json': template },
    })));
    if (ok) props.onSaved('Gateway response saved.');
  };
  const reset = async () => {
    if (await action.run(() => apigw().send(new DeleteGatewayResponseCommand({ restApiId: props.apiId, responseType: r.responseType })))) props.onSaved('Reset to the default.');
  };
  return (
    <form onSubmit={put} class="wide">
      <TextField label="Response status code" name="statusCode" value={status} onInput={setStatus} />
      <TextArea label="Response headers" name="responseParameters" code rows={3} value={headers} onInput={setHeaders}
        hint="One gatewayresponse.header.Name: value a line; the value is a 'static string' or method.request.*, stageVariables.*, context.*." />
      <TextArea label="Response template (application/json)" name="template" code rows={5} value={template} onInput={setTemplate} />
      <ErrorNote error={action.error} />
      <div class="actions">
        <Button type="submit" variant="primary" busy={action.busy}>Save response</Button>
        {!r.defaultResponse && <Button busy={action.busy} onClick={reset}>Reset to default</Button>}
      </div>
    </form>
  );
}

export default function GatewayResponsesPage(props: PageProps) {
  const apiId = props.params.apiId!;
  const list = useAws(() => everyItem((position) => apigw().send(new GetGatewayResponsesCommand({ restApiId: apiId, limit: 500, position }))), [apiId]);
  const [selected, setSelected] = useState<GatewayResponseType>();
  // Shown above the editor, which is rebuilt from the server's answer after each change.
  const [done, setDone] = useState<string>();
  const current = list.data?.find((r) => r.responseType === selected);
  return (
    <>
      <div class="page-head"><h1>Gateway responses</h1></div>
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <Loading what="gateway responses" />}
      <div class="split">
        <ul class="tree" aria-label="Response types">
          {[...(list.data ?? [])].sort((a, b) => String(a.responseType).localeCompare(String(b.responseType))).map((r) => (
            <li key={r.responseType}>
              <a href="#" aria-current={r.responseType === selected ? 'true' : undefined} onClick={(e) => { e.preventDefault(); setDone(undefined); setSelected(r.responseType); }}>{r.responseType}</a>
              {' '}<span class="muted">{r.statusCode ?? '–'}{r.defaultResponse ? '' : ' (customized)'}</span>
            </li>
          ))}
        </ul>
        <div>
          {current
            ? <Section title={String(current.responseType)}>
              {done && <Note kind="success">{done}</Note>}
              <ResponseEditor key={`${current.responseType}:${current.defaultResponse}`} apiId={apiId} response={current} onSaved={(d) => { setDone(d); list.reload(); }} />
            </Section>
            : <p class="muted">Choose a response type to see and edit it.</p>}
        </div>
      </div>
    </>
  );
}
