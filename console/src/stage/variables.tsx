// Stage variables: name/value pairs read by integrations and templates as ${stageVariables.name}.
import type { Stage } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { mapPatch } from '../apigw/calls.ts';
import { Button, ErrorNote, Note, Section } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, toPairs } from '../ui/kv-editor.tsx';
import { useAction } from '../ui/use-aws.ts';
import { updateStage } from './update.ts';

export function StageVariables(props: { apiId: string; stage: Stage; onSaved(): void }) {
  const [pairs, setPairs] = useState(toPairs(props.stage.variables));
  const [saved, setSaved] = useState(false);
  const save = useAction();
  return (
    <Section title="Stage variables">
      <form onSubmit={async (e) => {
        e.preventDefault();
        const ops = mapPatch('/variables', props.stage.variables, fromPairs(pairs));
        if (!ops.length || await save.run(() => updateStage(props.apiId, props.stage.stageName!, ops))) {
          setSaved(true);
          props.onSaved();
        }
      }}>
        <KeyValueEditor label="Variables" keyLabel="Variable name" valueLabel="Value" pairs={pairs} onChange={(p) => { setSaved(false); setPairs(p); }} />
        <p class="hint">They take effect at once, without a deployment.</p>
        <ErrorNote error={save.error} />
        {saved && <Note kind="success">Stage variables saved.</Note>}
        <Button type="submit" variant="primary" busy={save.busy}>Save variables</Button>
      </form>
    </Section>
  );
}
