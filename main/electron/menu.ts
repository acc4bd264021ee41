// Native menus with the usual shortcuts. Studio commands are sent to the page ('sortkey:menu'),
// which runs them as its own buttons would.
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';

export type MenuCommand = 'new-table' | 'run' | 'explain' | 'refresh' | 'show-query' | 'show-tables';

export function menuTemplate(options: {
  isMac: boolean;
  appName: string;
  window: () => BrowserWindow | undefined;
  about: () => void;
  showEndpoint: () => void;
  /** Offer Toggle Developer Tools (a development run; never the packaged app). */
  devTools: boolean;
}): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => options.window()?.webContents.send('sortkey:menu', command);
  const mac = options.isMac;
  return [
    ...(mac
      ? [
          {
            label: options.appName,
            submenu: [
              { label: `About ${options.appName}`, click: options.about },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Table…', accelerator: 'CmdOrCtrl+N', click: send('new-table') },
        { label: 'Refresh Tables', accelerator: 'F5', click: send('refresh') },
        { type: 'separator' },
        { label: 'DynamoDB Endpoint…', click: options.showEndpoint },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Query',
      submenu: [
        { label: 'Run Statement', accelerator: 'CmdOrCtrl+Enter', click: send('run') },
        { label: 'Explain Statement', accelerator: 'CmdOrCtrl+Shift+Enter', click: send('explain') },
        { type: 'separator' },
        { label: 'PartiQL Editor', accelerator: 'CmdOrCtrl+1', click: send('show-query') },
        { label: 'Tables', accelerator: 'CmdOrCtrl+2', click: send('show-tables') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `About ${options.appName}`, click: options.about }],
    },
  ];
}
