import { render } from 'preact';
import { loadAccessConfig } from './api/permissions.ts';
import { App } from './app.tsx';
import './styles.css';

// The access configuration decides which actions are offered: read it (a few hundred bytes, same origin) before the first render.
void loadAccessConfig().finally(() => render(<App />, document.getElementById('app') as HTMLElement));
