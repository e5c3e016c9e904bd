// Method request: authorization (NONE, AWS_IAM, an authorizer), API key, request validator, the request's
// parameters (path, query string, header; required or not) and models per content type. Saved with one UpdateMethod.
import { GetAuthorizersCommand, GetModelsCommand, GetRequestValidatorsCommand, UpdateMethodCommand, type Method, type PatchOperation } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw, pointer } from '../apigw/calls.ts';
import { Button, Checkbox, ErrorNote, Note, Section, SelectField } from '../ui/controls.tsx';
import { fromPairs, KeyValueEditor, toPairs, type Pairs } from '../ui/kv-editor.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

type Param = { location: 'path' | 'querystring' | 'header'; name: string; required: boolean };

function paramsOf(method: Method): Param[] {
  return Object.entries(method.requestParameters ?? {}).flatMap(([key, required]) => {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    return m ? [{ location: m[1] as Param['location'], name: m[2]!, required: Boolean(required) }] : [];
  });
}

const keyOf = (p: Param) => `method.request.${p.location}.${p.name}`;

/** UpdateMethod operations from the stored method to the edited settings. */
export function methodRequestPatch(method: Method, edit: { auth: string; authorizerId: string; apiKeyRequired: boolean; validatorId: string; params: Param[]; models: Record<string, string> }): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const [authType, authorizerId] = edit.auth.startsWith('authorizer:') ? [edit.auth.slice(11, edit.auth.indexOf('|')), edit.auth.slice(edit.auth.indexOf('|') + 1)] : [edit.auth, ''];
  if (authType !== method.authorizationType) ops.push({ op: 'replace', path: '/authorizationType', value: authType });
  if ((method.authorizerId ?? '') !== authorizerId) ops.push({ op: 'replace', path: '/authorizerId', value: authorizerId });
  if (Boolean(method.apiKeyRequired) !== edit.apiKeyRequired) ops.push({ op: 'replace', path: '/apiKeyRequired', value: String(edit.apiKeyRequired) });
  if ((method.requestValidatorId ?? '') !== edit.validatorId) ops.push({ op: 'replace', path: '/requestValidatorId', value: edit.validatorId });
  const before = method.requestParameters ?? {};
  const after = Object.fromEntries(edit.params.filter((p) => p.name.trim()).map((p) => [keyOf({ ...p, name: p.name.trim() }), p.required]));
  for (const k of Object.keys(before)) if (!(k in after)) ops.push({ op: 'remove', path: `/requestParameters/${k}` });
  for (const [k, v] of Object.entries(after)) {
    if (!(k in before)) ops.push({ op: 'add', path: `/requestParameters/${k}`, value: String(v) });
    else if (Boolean(before[k]) !== v) ops.push({ op: 'replace', path: `/requestParameters/${k}`, value: String(v) });
  }
  const oldModels = method.requestModels ?? {};
  for (const ct of Object.keys(oldModels)) if (!(ct in edit.models)) ops.push({ op: 'remove', path: `/requestModels/${pointer(ct)}` });
  for (const [ct, model] of Object.entries(edit.models)) {
    if (oldModels[ct] !== model) ops.push({ op: ct in oldModels ? 'replace' : 'add', path: `/requestModels/${pointer(ct)}`, value: model });
  }
  return ops;
}

export function MethodRequestEditor(props: { apiId: string; resourceId: string; method: Method; onSaved(): void }) {
  const { method } = props;
  const lists = useAws(async () => {
    const c = apigw();
    const [authorizers, validators, models] = await Promise.all([
      c.send(new GetAuthorizersCommand({ restApiId: props.apiId, limit: 500 })),
      c.send(new GetRequestValidatorsCommand({ restApiId: props.apiId, limit: 500 })),
      c.send(new GetModelsCommand({ restApiId: props.apiId, limit: 500 })),
    ]);
    return { authorizers: authorizers.items ?? [], validators: validators.items ?? [], models: models.items ?? [] };
  }, [props.apiId]);
  const currentAuth = method.authorizerId ? `authorizer:${method.authorizationType}|${method.authorizerId}` : (method.authorizationType ?? 'NONE');
  const [auth, setAuth] = useState(currentAuth);
  const [apiKeyRequired, setApiKeyRequired] = useState(Boolean(method.apiKeyRequired));
  const [validatorId, setValidatorId] = useState(method.requestValidatorId ?? '');
  const [params, setParams] = useState<Param[]>(paramsOf(method));
  const [models, setModels] = useState<Pairs>(toPairs(method.requestModels));
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const authOptions: [string, string][] = [
    ['NONE', 'None'],
    ['AWS_IAM', 'AWS IAM'],
    ...(lists.data?.authorizers ?? []).map((a): [string, string] => [`authorizer:${a.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM'}|${a.id}`, `${a.name} (${a.type})`]),
  ];
  if (!authOptions.some(([v]) => v === currentAuth)) authOptions.push([currentAuth, currentAuth]);
  const setParam = (i: number, p: Partial<Param>) => setParams(params.map((x, n) => (n === i ? { ...x, ...p } : x)));
  return (
    <Section title="Method request settings" id="method-request-title">
      <ErrorNote error={lists.error} />
      <form onSubmit={async (e) => {
        e.preventDefault();
        setSaved(false);
        const ops = methodRequestPatch(method, { auth, authorizerId: '', apiKeyRequired, validatorId, params, models: fromPairs(models) });
        if (!ops.length || await save.run(() => apigw().send(new UpdateMethodCommand({ restApiId: props.apiId, resourceId: props.resourceId, httpMethod: method.httpMethod!, patchOperations: ops })))) {
          setSaved(true);
          props.onSaved();
        }
      }}>
        <SelectField label="Authorization" value={auth} options={authOptions} onChange={setAuth} />
        <SelectField label="Request validator" value={validatorId} onChange={setValidatorId}
          options={[['', 'None'], ...(lists.data?.validators ?? []).map((v): [string, string] => [v.id!, v.name ?? v.id!])]} />
        <Checkbox label="API key required" checked={apiKeyRequired} onChange={setApiKeyRequired} />
        <fieldset class="kv-editor">
          <legend>Request parameters</legend>
          {params.length === 0 && <p class="muted">None.</p>}
          {params.map((p, i) => (
            <div class="row" key={i}>
              <select aria-label={`Parameter ${i + 1} location`} value={p.location} onChange={(e) => setParam(i, { location: (e.currentTarget as HTMLSelectElement).value as Param['location'] })}>
                <option value="path">Path</option><option value="querystring">Query string</option><option value="header">Header</option>
              </select>
              <input aria-label={`Parameter ${i + 1} name`} value={p.name} onInput={(e) => setParam(i, { name: (e.currentTarget as HTMLInputElement).value })} />
              <Checkbox label="Required" checked={p.required} onChange={(required) => setParam(i, { required })} />
              <Button variant="plain" onClick={() => setParams(params.filter((_, n) => n !== i))}>Remove</Button>
            </div>
          ))}
          <Button variant="plain" onClick={() => setParams([...params, { location: 'querystring', name: '', required: false }])}>Add parameter</Button>
        </fieldset>
        <KeyValueEditor label="Request body models" keyLabel="Content type" valueLabel="Model" pairs={models} onChange={setModels}
          keyPlaceholder="application/json" valuePlaceholder={(lists.data?.models ?? []).map((m) => m.name).join(', ') || 'Empty'} />
        <ErrorNote error={save.error} />
        {saved && <Note kind="success">Method request saved.</Note>}
        <Button type="submit" variant="primary" busy={save.busy}>Save</Button>
      </form>
    </Section>
  );
}
