// Sortkey Studio's entry point: connect to the backend (IPC in Electron, HTTP in browser mode) and
// start the app.
import './styles.css';
import { App } from './app.js';
import { connectBackend } from './backend/client.js';
import { SchemaCache } from './schema.js';
import { connectQueries } from './state.js';
import { startTheme } from './ui/theme.js';
import { guardRemoteWrites } from './views/connections.js';

startTheme();
// Writes to a remote connection ask first (views/connections.ts).
const backend = guardRemoteWrites(connectBackend());
void connectQueries(backend);
const schema = new SchemaCache(backend);
const app = new App(backend, schema);
app.start(document.getElementById('app')!);
