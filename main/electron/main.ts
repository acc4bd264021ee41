// Sortkey Studio as a desktop app: Electron's main process. The engine runs in a worker thread
// (engine-host.ts, started by engine-client.ts), never on this thread that drives the windows: it
// opens the database, answers the studio backend's calls and, unless told otherwise, serves the
// DynamoDB endpoint on 127.0.0.1:8000 so apps can connect while you browse. The page is the same
// renderer as browser mode, loaded over the sortkey:// protocol; its calls reach the engine host
// through the preload's IPC bridge and this process.
//
//   electron dist/main/electron/main.js [--db FILE | --in-memory] [--port N | --no-endpoint]
//
// Security: contextIsolation, sandbox, no nodeIntegration, a strict Content-Security-Policy on
// every page, navigation and new windows refused (external links open in the browser), permission
// requests denied, IPC answered only for the studio's own pages.
import { app, BrowserWindow, dialog, Menu, ipcMain, protocol, screen, session, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '../cli/version.js';
import { STUDIO_CSP, contentTypeOf, defaultAssetsDir, studioBuilt } from '../studio/assets.js';
import { explicitDatabase, parseDesktopArgs } from './args.js';
import type { DesktopOptions } from './args.js';
import { startEngineHost } from './engine-client.js';
import type { EngineHost } from './engine-client.js';
import { isDocumentationLink } from './links.js';
import { menuTemplate } from './menu.js';
import { loadWindowState, saveWindowState, visibleState } from './window-state.js';
import type { WindowState } from './window-state.js';

const APP_NAME = 'Sortkey Studio';
const SCHEME = 'sortkey';
const ORIGIN = `${SCHEME}://studio`;
const here = dirname(fileURLToPath(import.meta.url));

protocol.registerSchemesAsPrivileged([
  {
    scheme: SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
  },
]);
app.setName(APP_NAME);

let mainWindow: BrowserWindow | undefined;
let host: EngineHost | undefined;
let options: DesktopOptions;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    // `sortkey-studio --db other.sqlite` while the app runs: that database, in this window.
    const named = explicitDatabase(argv);
    const wanted = named === undefined || named === ':memory:' ? named : resolve(workingDirectory, named);
    if (wanted !== undefined && wanted !== options.db) void switchDatabase(wanted);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let closed = false;
  app.on('will-quit', (event) => {
    if (!host || closed) return;
    // The database closes cleanly (and the endpoint lets requests finish) before the app exits.
    event.preventDefault();
    void host.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
  app.whenReady().then(start, (e: unknown) => fail('Sortkey Studio could not start', e));
}

function fail(title: string, e: unknown): void {
  dialog.showErrorBox(title, e instanceof Error ? e.message : String(e));
  app.exit(1);
}

/** Closes the open database and opens `db` in its place; the window starts over on it. */
async function switchDatabase(db: string): Promise<void> {
  const previous = host;
  host = undefined;
  try {
    await previous?.close();
    options = { ...options, db };
    await openEngine();
    mainWindow?.webContents.reload();
  } catch (e) {
    fail('Sortkey Studio could not open the database', e);
  }
}

async function openEngine(): Promise<void> {
  host = await startEngineHost({
    db: options.db,
    region: options.region,
    ...(options.errorWording !== undefined ? { errorWording: options.errorWording } : {}),
    ...(options.consistency !== undefined ? { consistency: options.consistency } : {}),
    endpointPort: options.endpointPort,
    version: packageVersion(),
  });
  // Port taken (another Sortkey?): the studio works without the endpoint.
  if (host.endpointError)
    console.warn(`sortkey studio: DynamoDB endpoint not started: ${host.endpointError}`);
}

function registerProtocol(): void {
  const assets = defaultAssetsDir();
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'studio') return new Response('Not found', { status: 404 });
    let rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (rel === '') rel = 'index.html';
    const file = normalize(join(assets, rel));
    if (!file.startsWith(normalize(assets) + sep)) return new Response('Bad path', { status: 400 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': contentTypeOf(file),
          'Content-Security-Policy': STUDIO_CSP,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-cache',
        },
      });
    } catch {
      if (!studioBuilt(assets)) {
        return new Response(
          `<!doctype html><meta charset="utf-8"><title>${APP_NAME}</title><body style="font:15px system-ui;margin:3rem">` +
            '<h1>The studio is not built</h1><p>Run <code>npm run build</code>, then start the app again.</p>',
          {
            status: 503,
            headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': STUDIO_CSP },
          },
        );
      }
      return new Response('Not found', { status: 404 });
    }
  });
}

function registerIpc(): void {
  ipcMain.handle('sortkey:call', async (event, method: unknown, args: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!frameUrl.startsWith(`${ORIGIN}/`))
      return { ok: false, error: { type: 'AccessDeniedException', message: 'Not a studio page' } };
    if (!host)
      return { ok: false, error: { type: 'ServiceUnavailable', message: 'The database is being opened' } };
    return host.call(String(method), args);
  });
}

function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function windowState(): { file: string; state: WindowState } {
  const file = join(app.getPath('userData'), 'window-state.json');
  const areas = screen.getAllDisplays().map((d) => d.workArea);
  return { file, state: visibleState(loadWindowState(file), areas) };
}

function createWindow(): void {
  const { file, state } = windowState();
  const win = new BrowserWindow({
    title: APP_NAME,
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 760,
    minHeight: 480,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = win;
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const remember = (): void => {
    const b = win.getNormalBounds();
    saveWindowState(file, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  win.on('close', remember);
  win.on('closed', () => {
    mainWindow = undefined;
  });
  const wc = win.webContents;
  wc.setWindowOpenHandler(({ url }) => {
    if (isDocumentationLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) e.preventDefault();
  });
  void win.loadURL(`${ORIGIN}/index.html`);
}

function about(): void {
  void dialog.showMessageBox({
    type: 'info',
    title: `About ${APP_NAME}`,
    message: `${APP_NAME} ${packageVersion()}`,
    detail: `A local DynamoDB-compatible database with a PartiQL editor.\n\nDatabase: ${options.db}\nDynamoDB endpoint: ${host?.endpoint ?? 'not running'}\nElectron ${process.versions.electron}, Node.js ${process.versions.node}`,
  });
}

function showEndpoint(): void {
  void dialog.showMessageBox({
    type: 'info',
    title: 'DynamoDB endpoint',
    message: host?.endpoint ?? 'The DynamoDB endpoint is not running',
    detail: host?.endpoint
      ? `Point the AWS SDK or CLI at it:\n\naws dynamodb list-tables --endpoint-url ${host.endpoint}`
      : options.endpointPort === null
        ? 'Started with --no-endpoint.'
        : `Port ${options.endpointPort} was not free (is \`sortkey serve\` running?).`,
  });
}

async function start(): Promise<void> {
  options = parseDesktopArgs(process.argv.slice(1));
  try {
    await openEngine();
  } catch (e) {
    fail('Sortkey Studio could not open its database', e);
    return;
  }
  hardenSession();
  registerProtocol();
  registerIpc();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        isMac: process.platform === 'darwin',
        appName: APP_NAME,
        window: () => mainWindow,
        about,
        showEndpoint,
        // DevTools only in a development run, never in the packaged app.
        devTools: !app.isPackaged,
      }),
    ),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}
