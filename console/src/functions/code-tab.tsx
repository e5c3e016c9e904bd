// A function's code: replace it with UpdateFunctionCode, from code written here (zipped in the browser) or an
// uploaded .zip, as the AWS console's code source does with "Deploy" and "Upload from .zip file". The current code is
// not shown: GetFunction's Code.Location is, on Gatehouse, a file:// path on the server's disk (AWS gives a presigned
// S3 URL), which a page cannot read; the console says so rather than showing an editor that only looks like the code.
import { UpdateFunctionCodeCommand, type FunctionCodeLocation, type FunctionConfiguration, type UpdateFunctionCodeCommandOutput } from '@aws-sdk/client-lambda';
import { useState } from 'preact/hooks';
import { Button, ErrorNote, Field, Note, Section, SelectField, TextArea, TextField } from '../ui/controls.tsx';
import { useAction } from '../ui/use-aws.ts';
import { codeForHandler, lambda, zipOne } from './calls.ts';

export function CodeTab(props: { fn: FunctionConfiguration; location: FunctionCodeLocation | undefined; onDeployed(): void }) {
  const fn = props.fn;
  const starter = codeForHandler(fn.Runtime ?? '', fn.Handler ?? '');
  const [source, setSource] = useState<'inline' | 'zip'>('inline');
  const [file, setFile] = useState(starter.file);
  const [code, setCode] = useState(starter.code);
  const [zip, setZip] = useState<File>();
  const [deployed, setDeployed] = useState<UpdateFunctionCodeCommandOutput>();
  const action = useAction();
  const deploy = async (e: Event) => {
    e.preventDefault();
    setDeployed(undefined);
    await action.run(async () => {
      const ZipFile = source === 'inline' ? zipOne(file, code) : zip ? new Uint8Array(await zip.arrayBuffer()) : undefined;
      if (!ZipFile) throw new Error('Choose a .zip file to upload.');
      setDeployed(await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: fn.FunctionName, ZipFile })));
      props.onDeployed();
    });
  };
  return (
    <Section title="Code source">
      <dl class="kv">
        <dt>Handler</dt><dd class="mono">{fn.Handler}</dd>
        <dt>Code SHA-256</dt><dd class="mono" data-testid="code-sha">{fn.CodeSha256}</dd>
        <dt>Code size</dt><dd>{fn.CodeSize} bytes</dd>
        <dt>Stored at</dt><dd class="mono">{props.location?.Location}</dd>
      </dl>
      <p class="muted">
        The stored code cannot be opened here: Gatehouse keeps it on the server's disk (the location above), which a
        browser page cannot read. Write the new code below or upload a .zip; either replaces the whole deployment
        package of $LATEST (published versions keep theirs).
      </p>
      <form onSubmit={deploy} class="wide">
        <SelectField<'inline' | 'zip'> label="New code from" value={source} options={[['inline', 'Code written here (zipped in the browser)'], ['zip', 'A .zip file']] as const} onChange={setSource} />
        {source === 'inline'
          ? (
            <>
              <TextField label="File name" name="file" value={file} onInput={setFile} hint={`The handler ${fn.Handler} reads this file; other files of the old package are not kept.`} />
              <TextArea label={`Code (${file})`} name="code" code rows={12} value={code} onInput={setCode} />
            </>
          )
          : (
            <Field label="Deployment package (.zip)" hint="The handler's file at the top of the archive.">
              {(id) => <input id={id} type="file" accept=".zip,application/zip" onChange={(e) => setZip((e.currentTarget as HTMLInputElement).files?.[0])} />}
            </Field>
          )}
        <ErrorNote error={action.error} />
        {deployed && <Note kind="success">Deployed: code SHA-256 {deployed.CodeSha256}, {deployed.CodeSize} bytes, last update {deployed.LastUpdateStatus}.</Note>}
        <Button type="submit" variant="primary" busy={action.busy}>Deploy</Button>
      </form>
    </Section>
  );
}
