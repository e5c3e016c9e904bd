// Functions: the Lambda functions of this region (ListFunctions, every page) and "Create function" from inline
// code (zipped in the browser) or an uploaded .zip, as the AWS console's "Author from scratch" does.
import { CreateFunctionCommand, type Runtime } from '@aws-sdk/client-lambda';
import { useState } from 'preact/hooks';
import { allFunctions, lambda, RUNTIMES, starterCode, zipOne } from '../functions/calls.ts';
import { href, navigate, pathOf } from '../router.ts';
import { Button, ErrorNote, Field, Loading, Section, SelectField, TextArea, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

// Gatehouse runs functions under any role ARN of the right shape (it has no IAM role trust to check); AWS requires one.
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

function CreateFunction(props: { onCreated(name: string): void }) {
  const [name, setName] = useState('');
  const [runtime, setRuntime] = useState<string>(RUNTIMES[0]);
  const [source, setSource] = useState<'inline' | 'zip'>('inline');
  const [code, setCode] = useState(starterCode(RUNTIMES[0]).code);
  const [handler, setHandler] = useState(starterCode(RUNTIMES[0]).handler);
  const [role, setRole] = useState(DEFAULT_ROLE);
  const [zip, setZip] = useState<File>();
  const action = useAction();

  const changeRuntime = (r: string) => {
    const before = starterCode(runtime);
    const after = starterCode(r);
    // The starter code follows the runtime until the user edits it.
    if (code === before.code) setCode(after.code);
    if (handler === before.handler) setHandler(after.handler);
    setRuntime(r);
  };

  const create = async (e: Event) => {
    e.preventDefault();
    const zipFile = source === 'inline' ? zipOne(starterCode(runtime).file, code) : zip ? new Uint8Array(await zip.arrayBuffer()) : undefined;
    const ok = await action.run(async () => {
      if (!zipFile) throw new Error('Choose a .zip file to upload.');
      await lambda().send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Handler: handler, Role: role, Code: { ZipFile: zipFile } }));
    });
    if (ok) props.onCreated(name);
  };

  return (
    <form onSubmit={create} class="wide">
      <div class="row">
        <TextField label="Function name" name="FunctionName" value={name} onInput={setName} required />
        <SelectField label="Runtime" name="Runtime" value={runtime} options={RUNTIMES} onChange={changeRuntime} />
        <TextField label="Handler" name="Handler" value={handler} onInput={setHandler} hint="file.function" />
      </div>
      <TextField label="Execution role" name="Role" value={role} onInput={setRole} />
      <SelectField<'inline' | 'zip'> label="Code source" value={source} options={[['inline', 'Inline code (zipped in the browser)'], ['zip', 'Upload a .zip file']] as const} onChange={setSource} />
      {source === 'inline'
        ? <TextArea label={`Code (${starterCode(runtime).file})`} name="code" code rows={10} value={code} onInput={setCode} />
        : (
          <Field label=".zip file" hint="A deployment package: the handler's file at the top of the archive.">
            {(id) => <input id={id} type="file" accept=".zip,application/zip" onChange={(e) => setZip((e.currentTarget as HTMLInputElement).files?.[0])} />}
          </Field>
        )}
      <ErrorNote error={action.error} />
      <Button type="submit" variant="primary" busy={action.busy}>Create function</Button>
    </form>
  );
}

export default function FunctionsPage() {
  const fns = useAws(allFunctions, []);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div class="page-head">
        <h1>Functions</h1>
        <Button variant="primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>Create function</Button>
      </div>
      {creating && (
        <Section title="Create function">
          <CreateFunction onCreated={(name) => navigate(pathOf('functions', name))} />
        </Section>
      )}
      <ErrorNote error={fns.error} />
      {fns.loading && !fns.data && <Loading what="functions" />}
      {fns.data && fns.data.length > 0 && (
        <table class="grid" aria-label="Functions">
          <thead><tr><th>Name</th><th>Runtime</th><th>Handler</th><th>Code size</th><th>Last modified</th></tr></thead>
          <tbody>
            {fns.data.map((f) => (
              <tr key={f.FunctionName}>
                <td><a href={href(pathOf('functions', f.FunctionName!))}>{f.FunctionName}</a></td>
                <td>{f.Runtime}</td>
                <td class="mono">{f.Handler}</td>
                <td>{f.CodeSize} bytes</td>
                <td>{f.LastModified}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fns.data?.length === 0 && <p class="muted">No functions in this region yet.</p>}
    </>
  );
}
