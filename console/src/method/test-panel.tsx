// Test: TestInvokeMethod with a sample request; the response's status, latency, headers, body and execution log.
import type { TestInvokeMethodCommandOutput } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { Button, ErrorNote, Section } from '../ui/controls.tsx';
import { prettyJson } from '../ui/json.ts';
import { useAction } from '../ui/use-aws.ts';
import { emptySample, SampleRequestForm, testInvoke } from './sample-request.tsx';

export function TestPanel(props: { apiId: string; resourceId: string; httpMethod: string; path: string }) {
  const [sample, setSample] = useState(emptySample);
  const [result, setResult] = useState<TestInvokeMethodCommandOutput>();
  const run = useAction();
  return (
    <>
      <Section title="Test method" id="test-title">
        <p class="muted">Calls <code>{props.httpMethod} {props.path}</code> as it is saved now (no deployment needed), with no authorization, API key or throttling.</p>
        <form onSubmit={async (e) => {
          e.preventDefault();
          setResult(undefined);
          await run.run(async () => setResult(await testInvoke(props.apiId, props.resourceId, props.httpMethod, props.path, sample)));
        }}>
          <SampleRequestForm path={props.path} sample={sample} onChange={setSample} showBody={props.httpMethod !== 'GET' && props.httpMethod !== 'HEAD'} />
          <ErrorNote error={run.error} />
          <Button type="submit" variant="primary" busy={run.busy}>Test</Button>
        </form>
      </Section>
      {result && (
        <Section title="Response" id="test-response">
          <dl class="kv" aria-label="Test result">
            <dt>Status</dt><dd data-testid="test-status" class={result.status && result.status < 400 ? 'status-ok' : 'status-bad'}>{result.status}</dd>
            <dt>Latency</dt><dd>{result.latency} ms</dd>
          </dl>
          <h3>Response body</h3>
          <pre data-testid="test-body">{prettyJson(result.body ?? '') || <span class="muted">(empty)</span>}</pre>
          <h3>Response headers</h3>
          <pre data-testid="test-headers">{JSON.stringify(result.multiValueHeaders ?? result.headers ?? {}, null, 2)}</pre>
          <h3>Logs</h3>
          <pre data-testid="test-log">{result.log}</pre>
        </Section>
      )}
    </>
  );
}
