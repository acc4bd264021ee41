// The main window's size and position, remembered between runs (a small JSON file in the app's
// user-data folder). Pure Node: the bounds are checked against the displays by the caller.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1360, height: 860, maximized: false };

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function finite(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

export function loadWindowState(file: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    if (!finite(raw.width) || !finite(raw.height)) return { ...DEFAULT_WINDOW_STATE };
    return {
      width: Math.max(640, Math.round(raw.width)),
      height: Math.max(420, Math.round(raw.height)),
      maximized: raw.maximized === true,
      ...(finite(raw.x) && finite(raw.y) ? { x: Math.round(raw.x), y: Math.round(raw.y) } : {}),
    };
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(state));
  } catch {
    // Not remembering the window is no reason to fail.
  }
}

/**
 * Keeps a remembered position only if the window would still be visible (a display may have been
 * unplugged): at least 100×50 pixels of it must fall inside one of `workAreas`.
 */
export function visibleState(state: WindowState, workAreas: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y, width, height } = state as Required<WindowState>;
  const visible = workAreas.some((a) => {
    const w = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
    const h = Math.min(y + height, a.y + a.height) - Math.max(y, a.y);
    return w >= 100 && h >= 50;
  });
  if (visible) return state;
  return { width: state.width, height: state.height, maximized: state.maximized };
}
