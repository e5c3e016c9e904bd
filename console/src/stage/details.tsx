// Stage details: the invoke URL (with a copy button), description, cache cluster and access logging.
import type { PatchOperation, Stage } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { hostStyleUrl, invokeUrl, replaceIfChanged } from '../apigw/calls.ts';
import { Button, Checkbox, CopyButton, ErrorNote, Note, Section, SelectField, TextField } from '../ui/controls.tsx';
import { formatDate } from '../ui/format.ts';
import { useAction } from '../ui/use-aws.ts';
import { updateStage } from './update.ts';

const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

export function InvokeUrl(props: { apiId: string; stage: string }) {
  const url = invokeUrl(props.apiId, props.stage);
  return (
    <div class="invoke-url">
      <strong>Invoke URL</strong>
      <div class="row">
        <a data-testid="invoke-url" class="mono" href={url} target="_blank" rel="noreferrer">{url}</a>
        <CopyButton text={url} label="Copy invoke URL" />
      </div>
      <p class="hint">Also <span class="mono">{hostStyleUrl(props.apiId, props.stage)}</span> where <span class="mono">*.localhost</span> resolves to this machine (browsers do).</p>
    </div>
  );
}

export function StageDetails(props: { apiId: string; stage: Stage; onSaved(): void }) {
  const s = props.stage;
  const [description, setDescription] = useState(s.description ?? '');
  const [cache, setCache] = useState(s.cacheClusterEnabled ?? false);
  const [cacheSize, setCacheSize] = useState<string>(s.cacheClusterSize ?? '0.5');
  const [logArn, setLogArn] = useState(s.accessLogSettings?.destinationArn ?? '');
  const [logFormat, setLogFormat] = useState(s.accessLogSettings?.format ?? '$context.requestId $context.httpMethod $context.resourcePath $context.status $context.responseLatency');
  const [saved, setSaved] = useState(false);
  const save = useAction();
  return (
    <Section title="Stage details">
      <InvokeUrl apiId={props.apiId} stage={s.stageName!} />
      <dl class="kv">
        <dt>Deployment</dt><dd class="mono">{s.deploymentId}</dd>
        <dt>Created</dt><dd>{formatDate(s.createdDate)}</dd>
        <dt>Last updated</dt><dd>{formatDate(s.lastUpdatedDate)}</dd>
      </dl>
      <form onSubmit={async (e) => {
        e.preventDefault();
        const ops: PatchOperation[] = [...replaceIfChanged('/description', s.description, description)];
        if ((s.cacheClusterEnabled ?? false) !== cache) ops.push({ op: 'replace', path: '/cacheClusterEnabled', value: String(cache) });
        if (cache && (s.cacheClusterSize ?? '') !== cacheSize) ops.push({ op: 'replace', path: '/cacheClusterSize', value: cacheSize });
        if (!logArn && s.accessLogSettings) ops.push({ op: 'remove', path: '/accessLogSettings' });
        if (logArn) {
          ops.push(...replaceIfChanged('/accessLogSettings/destinationArn', s.accessLogSettings?.destinationArn, logArn));
          ops.push(...replaceIfChanged('/accessLogSettings/format', s.accessLogSettings?.format, logFormat));
        }
        if (!ops.length || await save.run(() => updateStage(props.apiId, s.stageName!, ops))) {
          setSaved(true);
          props.onSaved();
        }
      }}>
        <TextField label="Stage description" value={description} onInput={(v) => { setSaved(false); setDescription(v); }} />
        <div class="row">
          <Checkbox label="Provision an API cache" checked={cache} onChange={setCache} />
          {cache && <SelectField label="Cache capacity (GB)" value={cacheSize} options={CACHE_SIZES} onChange={setCacheSize} />}
        </div>
        <TextField label="Access log destination (log group ARN)" value={logArn} onInput={setLogArn} placeholder="arn:aws:logs:us-east-1:123456789012:log-group:my-access-logs"
          hint="The log group must exist (CloudWatch Logs CreateLogGroup); empty turns access logging off." />
        {logArn && <TextField label="Access log format" value={logFormat} onInput={setLogFormat} />}
        <ErrorNote error={save.error} />
        {saved && <Note kind="success">Stage saved.</Note>}
        <Button type="submit" variant="primary" busy={save.busy}>Save</Button>
      </form>
    </Section>
  );
}
