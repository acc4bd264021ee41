// Sortkey Studio's preload (sandboxed, so CommonJS and nothing but 'electron'): exposes the studio
// backend to the page as `window.sortkeyStudio` over IPC. The page gets two functions, never
// ipcRenderer itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');

const { contextBridge, ipcRenderer } = electron;

contextBridge.exposeInMainWorld('sortkeyStudio', {
  shell: 'electron',
  call: (method: string, args: unknown): Promise<unknown> =>
    ipcRenderer.invoke('sortkey:call', String(method), args),
  onMenu: (listener: (command: string) => void): void => {
    ipcRenderer.on('sortkey:menu', (_event, command: unknown) => listener(String(command)));
  },
});
