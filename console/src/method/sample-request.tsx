// A sample request for TestInvokeMethod (the Test tab and the mapping template preview): path parameters, query
// string, headers, stage variables and body, sent as the console's Test does.
import { TestInvokeMethodCommand, type TestInvokeMethodCommandOutput } from '@aws-sdk/client-api-gateway';
import { apigw } from '../apigw/calls.ts';
import { TextArea, TextField } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, type Pairs } from '../ui/kv-editor.tsx';

export interface SampleRequest {
  pathParams: Record<string, string>;
  query: string;
  headers: Pairs;
  stageVariables: Pairs;
  body: string;
}

export const emptySample = (): SampleRequest => ({ pathParams: {}, query: '', headers: [], stageVariables: [], body: '' });

/** The path's `{name}` and `{name+}` parameters. */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!);
}

/** The request path with parameters filled in and the query string appended. */
export function pathWithQuery(path: string, sample: SampleRequest): string {
  const filled = path.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
    const v = sample.pathParams[name] ?? '';
    return greedy ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v);
  });
  const q = sample.query.trim().replace(/^\?/, '');
  return q ? `${filled}?${q}` : filled;
}

export function testInvoke(restApiId: string, resourceId: string, httpMethod: string, path: string, sample: SampleRequest): Promise<TestInvokeMethodCommandOutput> {
  const stageVariables = fromPairs(sample.stageVariables);
  return apigw().send(new TestInvokeMethodCommand({
    restApiId, resourceId, httpMethod,
    pathWithQueryString: pathWithQuery(path, sample),
    headers: fromPairs(sample.headers),
    stageVariables: Object.keys(stageVariables).length ? stageVariables : undefined,
    body: sample.body || undefined,
  }));
}

export function SampleRequestForm(props: { path: string; sample: SampleRequest; onChange(s: SampleRequest): void; showBody?: boolean }) {
  const { sample, onChange } = props;
  const params = pathParamsOf(props.path);
  return (
    <div class="wide">
      {params.map((p) => (
        <TextField key={p} label={`Path parameter {${p}}`} value={sample.pathParams[p] ?? ''} onInput={(v) => onChange({ ...sample, pathParams: { ...sample.pathParams, [p]: v } })} />
      ))}
      <TextField label="Query strings" name="query" value={sample.query} placeholder="param1=value1&param2=value2" onInput={(v) => onChange({ ...sample, query: v })} />
      <KeyValueEditor label="Headers" keyLabel="Header" pairs={sample.headers} onChange={(headers) => onChange({ ...sample, headers })} keyPlaceholder="Accept" valuePlaceholder="application/json" />
      <KeyValueEditor label="Stage variables" keyLabel="Stage variable" pairs={sample.stageVariables} onChange={(stageVariables) => onChange({ ...sample, stageVariables })} />
      {props.showBody !== false && <TextArea label="Request body" name="body" value={sample.body} rows={6} code onInput={(v) => onChange({ ...sample, body: v })} />}
    </div>
  );
}

/** The rendered body of the integration request in a TestInvokeMethod log, if it has that line. */
export function renderedRequestBody(log: string | undefined): string | undefined {
  const line = log?.split('\n').find((l) => l.includes('Endpoint request body after transformations: '));
  return line?.slice(line.indexOf('Endpoint request body after transformations: ') + 'Endpoint request body after transformations: '.length);
}
