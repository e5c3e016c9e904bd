// Canary: a share of the stage's traffic goes to another deployment (with its own stage variable overrides); the
// canary is created on the stage's current deployment, later deployments can go to it, and Promote makes it the
// stage's deployment (and its overrides the stage's variables) and removes the canary.
import type { PatchOperation, Stage } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { pointer } from '../apigw/calls.ts';
import { Button, Checkbox, ErrorNote, Note, Section, TextField } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, toPairs } from '../ui/kv-editor.tsx';
import { useAction } from '../ui/use-aws.ts';
import { updateStage } from './update.ts';

export function CanaryEditor(props: { apiId: string; stage: Stage; onSaved(): void }) {
  const c = props.stage.canarySettings;
  const [percent, setPercent] = useState(String(c?.percentTraffic ?? 10));
  const [overrides, setOverrides] = useState(toPairs(c?.stageVariableOverrides));
  const [useCache, setUseCache] = useState(c?.useStageCache ?? false);
  const [note, setNote] = useState<string>();
  const act = useAction();
  const name = props.stage.stageName!;
  const run = async (ops: PatchOperation[], done: string) => {
    if (await act.run(() => updateStage(props.apiId, name, ops))) {
      setNote(done);
      props.onSaved();
    }
  };
  const settingsOps = (): PatchOperation[] => {
    const ops: PatchOperation[] = [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: percent },
      { op: 'replace', path: '/canarySettings/useStageCache', value: String(useCache) },
    ];
    const after = fromPairs(overrides);
    for (const k of Object.keys(c?.stageVariableOverrides ?? {})) if (!(k in after)) ops.push({ op: 'remove', path: `/canarySettings/stageVariableOverrides/${pointer(k)}` });
    for (const [k, v] of Object.entries(after)) ops.push({ op: 'replace', path: `/canarySettings/stageVariableOverrides/${pointer(k)}`, value: v });
    return ops;
  };
  return (
    <Section title="Canary">
      {note && <Note kind="success">{note}</Note>}
      {c ? (
        <dl class="kv">
          <dt>Canary deployment</dt><dd class="mono">{c.deploymentId}</dd>
          <dt>Stage deployment</dt><dd class="mono">{props.stage.deploymentId}</dd>
        </dl>
      ) : <p class="muted">No canary. Creating one sends a share of requests to the canary, which starts on the stage's current deployment; deploy to it from Deploy API.</p>}
      <form onSubmit={(e) => { e.preventDefault(); void run(settingsOps(), c ? 'Canary settings saved.' : 'Canary created.'); }}>
        <TextField label="Requests to the canary (percent)" type="number" value={percent} onInput={setPercent} hint="0.0 to 100.0" />
        <KeyValueEditor label="Stage variable overrides" keyLabel="Variable name" valueLabel="Canary value" pairs={overrides} onChange={setOverrides} />
        <Checkbox label="The canary uses the stage cache" checked={useCache} onChange={setUseCache} />
        <ErrorNote error={act.error} />
        <div class="actions">
          <Button type="submit" variant="primary" busy={act.busy}>{c ? 'Save canary' : 'Create canary'}</Button>
          {c && <Button busy={act.busy} onClick={() => {
            const ops: PatchOperation[] = [{ op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' }];
            if (Object.keys(c.stageVariableOverrides ?? {}).length) ops.push({ op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' });
            ops.push({ op: 'remove', path: '/canarySettings' });
            void run(ops, 'Canary promoted: the stage now serves its deployment, and the canary is removed.');
          }}>Promote canary</Button>}
          {c && <Button variant="danger" busy={act.busy} onClick={() => run([{ op: 'remove', path: '/canarySettings' }], 'Canary deleted.')}>Delete canary</Button>}
        </div>
      </form>
    </Section>
  );
}
