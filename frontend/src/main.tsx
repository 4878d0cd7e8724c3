import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { env, EnvError } from './config/env';
import { App } from './app/App';
import './styles/global.css';

const root = createRoot(document.getElementById('root')!);

try {
  env();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  root.render(
    <main className="page page--narrow" id="main">
      <h1>The web app is misconfigured</h1>
      <p>It was built with settings that cannot work. Rebuild it with these fixed:</p>
      <ul>
        {error.problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </main>,
  );
}
