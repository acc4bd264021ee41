#!/usr/bin/env node
// `npm run app`: starts Sortkey Studio as a desktop app where Electron's binary is installed;
// otherwise explains how to get it and offers browser mode (`sortkey serve`, the studio at /studio/).
//
//   npm run app                       desktop app (database ~/.sortkey/default.sqlite, endpoint :8000)
//   npm run app -- --in-memory        scratch database
//   npm run app -- --no-endpoint      do not serve the DynamoDB endpoint next to the app
//   npm run app -- --browser          browser mode straight away
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wantBrowser = args.includes('--browser');
const appArgs = args.filter((a) => a !== '--browser');

/** The Electron executable, if the electron package's binary has been downloaded. */
function electronExecutable() {
  const override = process.env.SORTKEY_ELECTRON;
  if (override) return existsSync(override) ? override : null;
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

function ensureBuilt() {
  const main = join(root, 'dist', 'main', 'electron', 'main.js');
  const ui = join(root, 'renderer', 'dist', 'index.html');
  if (existsSync(main) && existsSync(ui)) return;
  console.log('Building Sortkey (npm run build)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) {
    console.error('The build failed; fix it and run `npm run app` again.');
    process.exit(r.status ?? 1);
  }
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
}

function browserMode() {
  console.log('Starting browser mode: open the "Studio" link printed below.\n');
  const serveArgs = appArgs.filter((a) => a !== '--no-endpoint');
  run(process.execPath, [join(root, 'bin', 'sortkey.js'), 'serve', ...serveArgs]);
}

const HOW_TO = `Sortkey Studio's desktop app needs Electron's binary, which is not installed here
(npm installs the electron package without it when ELECTRON_SKIP_BINARY_DOWNLOAD is set, when
install scripts are not allowed, or when the download is not reachable).

To get the desktop app:
  1. node node_modules/electron/install.js         # downloads Electron for this platform
  2. npx @electron/rebuild -f -w better-sqlite3    # the database driver, built for Electron
     (npm rebuild better-sqlite3 builds it for Node.js again, for npm start and npm test)
  3. npm run app
Installers (AppImage, deb, dmg, nsis): npx electron-builder --config electron-builder.yml

The same studio runs in your browser without Electron: npm start (or npm run app -- --browser),
then open the "Studio" link it prints.`;

if (wantBrowser) {
  ensureBuilt();
  browserMode();
} else {
  const electron = electronExecutable();
  if (electron) {
    ensureBuilt();
    run(electron, [join(root, 'dist', 'main', 'electron', 'main.js'), ...appArgs]);
  } else {
    console.log(HOW_TO + '\n');
    if (process.stdin.isTTY && process.stdout.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      rl.question('Start browser mode now? [Y/n] ', (answer) => {
        rl.close();
        if (/^\s*(y|yes)?\s*$/i.test(answer)) {
          ensureBuilt();
          browserMode();
        } else process.exit(0);
      });
    } else {
      process.exit(1);
    }
  }
}
