// Sortkey Studio as a desktop app: Electron's main process. The engine runs here (and, unless told
// otherwise, also serves the DynamoDB endpoint on 127.0.0.1:8000 so apps can connect while you
// browse); the page is the same renderer as browser mode, loaded over the sortkey:// protocol, and
// reaches the engine through the preload's IPC bridge.
//
//   electron dist/main/electron/main.js [--db FILE | --in-memory] [--port N | --no-endpoint]
//
// Security: contextIsolation, sandbox, no nodeIntegration, a strict Content-Security-Policy on
// every page, navigation and new windows refused (external links open in the browser), permission
// requests denied, IPC answered only for the studio's own pages.
import { app, BrowserWindow, dialog, Menu, ipcMain, protocol, screen, session, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabaseDir } from '../defaults.js';
import { packageVersion } from '../cli/version.js';
import type { EngineLike, SortkeyServer } from '../server/index.js';
import { STUDIO_CSP, contentTypeOf, defaultAssetsDir, studioBuilt } from '../studio/assets.js';
import { createStudioBackend, invokeBackend, toErrorShape } from '../studio/backend.js';
import type { StudioBackendImpl } from '../studio/backend.js';
import { parseDesktopArgs } from './args.js';
import type { DesktopOptions } from './args.js';
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
let engine: (EngineLike & { close(): void }) | undefined;
let endpoint: SortkeyServer | undefined;
let backend: StudioBackendImpl | undefined;
let options: DesktopOptions;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void endpoint?.close({ graceMs: 500 });
    engine?.close();
  });
  app.whenReady().then(start, (e: unknown) => fail('Sortkey Studio could not start', e));
}

function fail(title: string, e: unknown): void {
  dialog.showErrorBox(title, e instanceof Error ? e.message : String(e));
  app.exit(1);
}

async function openEngine(): Promise<void> {
  try {
    // Loaded here so a better-sqlite3 built for the wrong runtime is reported, not a crash at import.
    const { Engine } = await import('../../engine/index.js');
    ensureDatabaseDir(options.db);
    engine = new Engine({
      path: options.db,
      region: options.region,
      ...(options.errorWording !== undefined ? { errorWording: options.errorWording } : {}),
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
      throw new Error(
        'better-sqlite3 is built for Node.js, not for Electron. Rebuild it for Electron with\n\n' +
          '  npx @electron/rebuild -f -w better-sqlite3\n\n' +
          '(`npm rebuild better-sqlite3` builds it for Node.js again), or use browser mode: npm start.\n\n' +
          message,
      );
    }
    throw e;
  }
}

async function startEndpoint(): Promise<void> {
  if (options.endpointPort === null || !engine) return;
  try {
    const { startServer } = await import('../server/index.js');
    endpoint = await startServer({ engine, port: options.endpointPort, host: '127.0.0.1' });
  } catch (e) {
    // Port taken (another Sortkey?): the studio works without the endpoint.
    console.warn(`sortkey studio: DynamoDB endpoint not started: ${(e as Error).message}`);
  }
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
    try {
      return { ok: true, value: await invokeBackend(backend!, String(method), args) };
    } catch (e) {
      const shape = toErrorShape(e);
      if (shape.internal) console.error('sortkey studio: internal error:', e);
      return { ok: false, error: { type: shape.type, message: shape.message } };
    }
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
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
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
    detail: `A local DynamoDB-compatible database with a PartiQL editor.\n\nDatabase: ${options.db}\nDynamoDB endpoint: ${endpoint?.url ?? 'not running'}\nElectron ${process.versions.electron}, Node.js ${process.versions.node}`,
  });
}

function showEndpoint(): void {
  void dialog.showMessageBox({
    type: 'info',
    title: 'DynamoDB endpoint',
    message: endpoint ? endpoint.url : 'The DynamoDB endpoint is not running',
    detail: endpoint
      ? `Point the AWS SDK or CLI at it:\n\naws dynamodb list-tables --endpoint-url ${endpoint.url}`
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
  await startEndpoint();
  backend = createStudioBackend({
    engine: engine!,
    info: () => ({
      version: packageVersion(),
      mode: 'electron',
      region: options.region,
      ...(endpoint ? { endpoint: endpoint.url } : {}),
      database: options.db,
    }),
  });
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
      }),
    ),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}
