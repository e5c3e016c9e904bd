// The console's entry: the theme, then the login form or the shell.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { savedLogin, type Login } from './aws.ts';
import { LoginForm } from './login.tsx';
import { preloadView, Shell } from './shell.tsx';
import { currentPath } from './router.ts';
import { applyTheme } from './theme.ts';
import './styles.css';
import './ui/views.css';

function App() {
  const [login, setLogin] = useState<Login | undefined>(savedLogin);
  return login ? <Shell login={login} onLogout={() => setLogin(undefined)} /> : <LoginForm onLogin={setLogin} />;
}

applyTheme();
if (savedLogin()) preloadView(currentPath());
render(<App />, document.getElementById('app')!);
