// Method settings: logging, metrics, throttling and caching for the whole stage (`*/*`) and per-method overrides
// (`{resource path}/{METHOD}`, the path's slashes escaped as ~1 in patch paths, as API Gateway names them).
import type { MethodSetting, PatchOperation, Stage } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { pointer } from '../apigw/calls.ts';
import { Button, Checkbox, ErrorNote, Note, Section, SelectField, TextField } from '../ui/controls.tsx';
import { useAction } from '../ui/use-aws.ts';
import { updateStage } from './update.ts';

interface Edit { loggingLevel: string; dataTrace: boolean; metrics: boolean; rate: string; burst: string; caching: boolean; ttl: string }

const editOf = (s: MethodSetting | undefined): Edit => ({
  loggingLevel: s?.loggingLevel ?? 'OFF',
  dataTrace: s?.dataTraceEnabled ?? false,
  metrics: s?.metricsEnabled ?? false,
  rate: String(s?.throttlingRateLimit ?? 10000),
  burst: String(s?.throttlingBurstLimit ?? 5000),
  caching: s?.cachingEnabled ?? false,
  ttl: String(s?.cacheTtlInSeconds ?? 300),
});

// Patch operations for one method-settings key ('*/*' or '~1pets/GET') from stored to edited.
export function methodSettingsPatch(key: string, before: MethodSetting | undefined, e: Edit): PatchOperation[] {
  const b = editOf(before);
  const ops: PatchOperation[] = [];
  const put = (path: string, from: string, to: string) => { if (from !== to || !before) ops.push({ op: 'replace', path: `/${key}/${path}`, value: to }); };
  put('logging/loglevel', b.loggingLevel, e.loggingLevel);
  put('logging/dataTrace', String(b.dataTrace), String(e.dataTrace));
  put('metrics/enabled', String(b.metrics), String(e.metrics));
  put('throttling/rateLimit', b.rate, e.rate);
  put('throttling/burstLimit', b.burst, e.burst);
  put('caching/enabled', String(b.caching), String(e.caching));
  put('caching/ttlInSeconds', b.ttl, e.ttl);
  return ops;
}

function SettingsForm(props: { apiId: string; stage: Stage; keyName: string; title: string; onSaved(): void; onRemove?(): void }) {
  const stored = props.stage.methodSettings?.[props.keyName];
  const [e, setE] = useState(() => editOf(stored));
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const set = <K extends keyof Edit>(k: K) => (v: Edit[K]) => { setSaved(false); setE((x) => ({ ...x, [k]: v })); };
  // The key is what the patch path carried (`~1pets/GET` from this console and the CLI, `pets/GET` from Terraform).
  const patchKey = props.keyName;
  return (
    <Section title={props.title}>
      <form onSubmit={async (ev) => {
        ev.preventDefault();
        const ops = methodSettingsPatch(patchKey, stored, e);
        if (!ops.length || await save.run(() => updateStage(props.apiId, props.stage.stageName!, ops))) {
          setSaved(true);
          props.onSaved();
        }
      }}>
        <div class="row">
          <SelectField label="CloudWatch logs" value={e.loggingLevel} options={[['OFF', 'Off'], ['ERROR', 'Errors only'], ['INFO', 'Errors and info logs']]} onChange={set('loggingLevel')} />
          <Checkbox label="Full request and response logs (data trace)" checked={e.dataTrace} onChange={set('dataTrace')} />
          <Checkbox label="Detailed metrics" checked={e.metrics} onChange={set('metrics')} />
        </div>
        <div class="row">
          <TextField label="Throttling rate (requests per second)" type="number" value={e.rate} onInput={set('rate')} />
          <TextField label="Throttling burst" type="number" value={e.burst} onInput={set('burst')} />
        </div>
        <div class="row">
          <Checkbox label="Cache responses" checked={e.caching} onChange={set('caching')} />
          {e.caching && <TextField label="Cache time-to-live (seconds)" type="number" value={e.ttl} onInput={set('ttl')} />}
        </div>
        {e.caching && !props.stage.cacheClusterEnabled && <Note kind="warn">Caching needs the stage's cache cluster: enable it in Stage details.</Note>}
        <ErrorNote error={save.error} />
        {saved && <Note kind="success">Method settings saved.</Note>}
        <div class="actions">
          <Button type="submit" variant="primary" busy={save.busy}>Save</Button>
          {props.onRemove && <Button variant="danger" busy={save.busy} onClick={async () => {
            if (await save.run(() => updateStage(props.apiId, props.stage.stageName!, [{ op: 'remove', path: `/${patchKey}` }]))) props.onRemove!();
          }}>Remove override</Button>}
        </div>
      </form>
    </Section>
  );
}

export function MethodSettingsEditor(props: { apiId: string; stage: Stage; onSaved(): void }) {
  const [path, setPath] = useState('');
  const [method, setMethod] = useState('GET');
  const [adding, setAdding] = useState<string>();
  const overrides = Object.keys(props.stage.methodSettings ?? {}).filter((k) => k !== '*/*');
  return (
    <>
      <SettingsForm key="*/*" apiId={props.apiId} stage={props.stage} keyName="*/*" title="Default method settings (all methods)" onSaved={props.onSaved} />
      {[...overrides, ...(adding && !overrides.includes(adding) ? [adding] : [])].map((k) => (
        <SettingsForm key={k} apiId={props.apiId} stage={props.stage} keyName={k} title={`Override for ${k.replace(/\/([^/]+)$/, ' $1').replaceAll('~1', '/').replaceAll('~0', '~')}`} onSaved={() => { setAdding(undefined); props.onSaved(); }} onRemove={props.onSaved} />
      ))}
      <Section title="Add a method override">
        <div class="row">
          <TextField label="Resource path" value={path} onInput={setPath} placeholder="/pets/{petId}" />
          <SelectField label="Method" value={method} options={['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']} onChange={setMethod} />
          <Button disabled={!path.startsWith('/')} onClick={() => setAdding(`${pointer(path)}/${method === 'ANY' ? '*' : method}`)}>Add override</Button>
        </div>
      </Section>
    </>
  );
}
