// The API's resource policy: an IAM policy document edited as JSON (checked in the page before sending; the server
// checks it again and says what it refuses), saved with UpdateRestApi replace /policy, or removed.
import { UpdateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { useEffect, useState } from 'preact/hooks';
import { apigw, getApi, region } from '../apigw/calls.ts';
import type { PageProps } from '../routes.tsx';
import { Button, ErrorNote, Loading, Note, Section } from '../ui/controls.tsx';
import { prettyJson } from '../ui/json.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

/** Why a policy text is not a policy document, or undefined. */
export function policyProblem(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `Not valid JSON: ${(err as Error).message}`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'A policy is a JSON object';
  const statement = (doc as { Statement?: unknown }).Statement;
  if (statement === undefined) return 'A policy needs a Statement';
  const list = Array.isArray(statement) ? statement : [statement];
  for (const [i, s] of list.entries()) {
    if (typeof s !== 'object' || s === null) return `Statement ${i + 1} is not an object`;
    const effect = (s as { Effect?: unknown }).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return `Statement ${i + 1} needs "Effect": "Allow" or "Deny"`;
  }
  return undefined;
}

function example(apiId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${region()}:*:${apiId}/*` }],
  }, null, 2);
}

/** API Gateway stores the policy with its quotes escaped; shown as indented JSON. */
function pretty(policy: string | undefined): string {
  return policy ? prettyJson(policy.replaceAll('\\"', '"')) : '';
}

export default function ResourcePolicyPage({ params }: PageProps) {
  const api = useAws(() => getApi(params.apiId!), [params.apiId]);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<string>();
  const save = useAction();
  useEffect(() => {
    if (api.data) setText(pretty(api.data.policy));
  }, [api.data]);
  const problem = text.trim() ? policyProblem(text) : undefined;
  const send = (value: string, done: string) =>
    save.run(() => apigw().send(new UpdateRestApiCommand({ restApiId: params.apiId!, patchOperations: [{ op: 'replace', path: '/policy', value }] }))).then((ok) => {
      if (ok) {
        setSaved(done);
        api.reload();
      }
    });
  return (
    <>
      <h1>Resource policy</h1>
      <ErrorNote error={api.error} />
      {api.loading && !api.data && <Loading />}
      {api.data && (
        <Section title="Policy document" actions={!text.trim() && <Button onClick={() => setText(example(params.apiId!))}>Start from an example</Button>}>
          <label class="sr-only" for="policy">Policy document</label>
          <textarea id="policy" class="code" rows={18} value={text} spellcheck={false} onInput={(e) => { setSaved(undefined); setText((e.currentTarget as HTMLTextAreaElement).value); }} />
          {problem && <p class="note warn" role="status">{problem}</p>}
          <p class="hint">Applies to deployments made after saving: deploy the API again for it to take effect.</p>
          <ErrorNote error={save.error} />
          {saved && <Note kind="success">{saved}</Note>}
          <div class="actions">
            <Button variant="primary" busy={save.busy} disabled={!text.trim() || Boolean(problem)} onClick={() => send(JSON.stringify(JSON.parse(text)), 'Policy saved.')}>Save policy</Button>
            {api.data.policy && <Button variant="danger" busy={save.busy} onClick={() => send('', 'Policy removed.').then(() => setText(''))}>Remove policy</Button>}
          </div>
        </Section>
      )}
    </>
  );
}
