// The login form: an access key (any key when Gatehouse does not verify signatures; the bootstrap identity's when it
// runs with --require-auth), the region, and where to keep them.
import { useState } from 'preact/hooks';
import { saveLogin, type Login } from './aws.ts';
import { Button, SelectField, TextField } from './ui/controls.tsx';

export function LoginForm(props: { onLogin(login: Login): void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [sessionToken, setToken] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [remember, setRemember] = useState<Login['remember']>('tab');
  return (
    <main class="login" id="main">
      <form class="panel" aria-labelledby="login-title" onSubmit={(e) => {
        e.preventDefault();
        const login: Login = { accessKeyId: accessKeyId.trim(), secretAccessKey, sessionToken: sessionToken.trim() || undefined, region: region.trim(), remember };
        saveLogin(login);
        props.onLogin(login);
      }}>
        <h1 id="login-title">Sign in to the Gatehouse console</h1>
        <p>The console calls Gatehouse's AWS APIs with these credentials, signed with SigV4 in this page. Without
          <code>--require-auth</code> any key works; with it, use the bootstrap identity's key (printed at start).</p>
        <TextField label="Access key ID" name="accessKeyId" value={accessKeyId} onInput={setAccessKeyId} required autoFocus />
        <TextField label="Secret access key" name="secretAccessKey" type="password" value={secretAccessKey} onInput={setSecret} required autocomplete="current-password" />
        <TextField label="Session token (optional)" name="sessionToken" value={sessionToken} onInput={setToken} />
        <TextField label="Region" name="region" value={region} onInput={setRegion} required />
        <SelectField<Login["remember"]> label="Keep these credentials" name="remember" value={remember} onChange={setRemember}
          options={[['tab', 'In this tab only (until it is closed)'], ['browser', 'In this browser (until I sign out)']]} />
        <Button type="submit" variant="primary">Sign in</Button>
      </form>
    </main>
  );
}
