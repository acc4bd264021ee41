// A few DOM helpers: the studio uses no UI framework (see docs/architecture.md, "Studio").
type Child = Node | string | null | undefined | false;
type Props = Record<string, unknown>;

/**
 * Creates an element: `h('button.primary', { onclick, title: 'Run' }, 'Run')`. Props starting with
 * `on` become listeners, `dataset`/`style` objects are applied, everything else is set as a property
 * (or an attribute when the element has no such property, e.g. `aria-*`, `data-*`).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  spec: K | `${K}.${string}` | `${K}#${string}`,
  props?: Props | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/.exec(spec)!;
  const el = document.createElement(m[1]!) as HTMLElementTagNameMap[K];
  for (const part of m[2]!.match(/[.#][\w-]+/g) ?? []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k === 'dataset' && typeof v === 'object') Object.assign(el.dataset, v);
      else if (k === 'class') el.className = String(v);
      else if (k.includes('-') || !(k in el)) el.setAttribute(k, v === true ? '' : String(v));
      else (el as unknown as Record<string, unknown>)[k] = v;
    }
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children) {
    if (Array.isArray(c)) append(el, c);
    else if (c === null || c === undefined || c === false) continue;
    else el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A `table.data-table`: one header row of `headers`, then `rows` (`tr` elements) as its body. */
export function dataTable(headers: readonly string[], rows: Node[]): HTMLTableElement {
  return h(
    'table.data-table',
    null,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((c) => h('th', null, c)),
      ),
    ),
    h('tbody', null, rows),
  );
}

export function clear(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 item`, `2 items`, `1,000 items`. */
export function countOf(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

let toastHost: HTMLElement | undefined;

/** A short message at the bottom right. */
export function toast(message: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
  if (!toastHost) {
    toastHost = h('div.toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(toastHost);
  }
  const t = h('div.toast', { class: `toast toast-${kind}` }, message);
  toastHost.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 3500);
}

export interface ModalHandle {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  readonly footer: HTMLElement;
  /** Closes the dialog now (onClose runs once). */
  close(): void;
  /** Closes the dialog unless `beforeClose` says no (what Escape, × and Cancel buttons call). */
  requestClose(): Promise<void>;
}

/** Open dialogs, innermost last: only the innermost one answers Escape. */
const openModals: ModalHandle[] = [];

/**
 * A modal dialog; Escape or the close button closes it (onClose runs once). Escape is heard in the
 * bubbling phase and only when nothing inside handled it first (Monaco's suggestion list, find box
 * and the like call preventDefault), and only by the innermost dialog. `beforeClose` may refuse
 * (e.g. after asking whether to discard unsaved edits).
 */
export function modal(
  title: string,
  options: {
    wide?: boolean;
    onClose?: () => void;
    beforeClose?: () => boolean | Promise<boolean>;
    testId?: string;
  } = {},
): ModalHandle {
  const body = h('div.modal-body');
  const footer = h('div.modal-footer');
  let closed = false;
  let asking = false;
  // Focus goes back where it was (a grid cell, a button) when the dialog closes: keyboard use goes on.
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    if (opener?.isConnected) setTimeout(() => opener.focus({ preventScroll: true }), 0);
    document.removeEventListener('keydown', onKey);
    const at = openModals.indexOf(handle);
    if (at >= 0) openModals.splice(at, 1);
    backdrop.remove();
    options.onClose?.();
  };
  const requestClose = async (): Promise<void> => {
    if (closed || asking) return;
    if (options.beforeClose) {
      asking = true;
      try {
        if (!(await options.beforeClose())) return;
      } finally {
        asking = false;
      }
    }
    close();
  };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented || openModals[openModals.length - 1] !== handle) return;
    e.preventDefault();
    e.stopPropagation();
    void requestClose();
  };
  const dialog = h(
    'div.modal',
    {
      role: 'dialog',
      'aria-modal': 'true',
      'aria-label': title,
      class: options.wide ? 'modal modal-wide' : 'modal',
      'data-testid': options.testId,
    },
    h(
      'div.modal-header',
      null,
      h('h2', null, title),
      h(
        'button.icon-button',
        { title: 'Close (Esc)', 'aria-label': 'Close', onclick: () => void requestClose() },
        '×',
      ),
    ),
    body,
    footer,
  );
  const backdrop = h('div.modal-backdrop', null, dialog);
  const handle: ModalHandle = { root: dialog, body, footer, close, requestClose };
  openModals.push(handle);
  document.addEventListener('keydown', onKey);
  document.body.append(backdrop);
  return handle;
}

/** Asks for confirmation; with `typeToConfirm`, the user must type that text first. */
export function confirmDialog(options: {
  title: string;
  message: string | Node;
  confirm: string;
  danger?: boolean;
  typeToConfirm?: string;
  /** The label of the button that says no (default Cancel). */
  cancel?: string;
  testId?: string;
  confirmTestId?: string;
  cancelTestId?: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    let result = false;
    const m = modal(options.title, {
      onClose: () => resolve(result),
      testId: options.testId ?? 'confirm-dialog',
    });
    const ok = h(
      'button',
      {
        class: options.danger ? 'danger' : 'primary',
        disabled: !!options.typeToConfirm,
        'data-testid': options.confirmTestId,
      },
      options.confirm,
    );
    m.body.append(h('p', null, options.message));
    if (options.typeToConfirm) {
      const expected = options.typeToConfirm;
      const input = h('input.confirm-input', {
        type: 'text',
        placeholder: expected,
        'aria-label': `Type ${expected} to confirm`,
        oninput: () => {
          ok.disabled = input.value !== expected;
        },
        onkeydown: (e: KeyboardEvent) => {
          if (e.key === 'Enter' && input.value === expected) ok.click();
        },
      });
      m.body.append(h('p.hint', null, 'Type ', h('strong', null, expected), ' to confirm.'), input);
      setTimeout(() => input.focus(), 0);
    }
    ok.addEventListener('click', () => {
      result = true;
      m.close();
    });
    m.footer.append(
      h(
        'button',
        { onclick: () => m.close(), 'data-testid': options.cancelTestId },
        options.cancel ?? 'Cancel',
      ),
      ok,
    );
    if (!options.typeToConfirm) setTimeout(() => ok.focus(), 0);
  });
}

/** Asks for a line of text. */
export function promptDialog(title: string, label: string, initial = ''): Promise<string | null> {
  return new Promise((resolve) => {
    let result: string | null = null;
    const m = modal(title, { onClose: () => resolve(result), testId: 'prompt-dialog' });
    const input = h('input', { type: 'text', value: initial, 'aria-label': label });
    const ok = h('button.primary', null, 'OK');
    const submit = (): void => {
      if (input.value.trim() === '') return;
      result = input.value.trim();
      m.close();
    };
    ok.addEventListener('click', submit);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') submit();
    });
    m.body.append(h('label.field', null, h('span', null, label), input));
    m.footer.append(h('button', { onclick: () => m.close() }, 'Cancel'), ok);
    setTimeout(() => input.focus(), 0);
  });
}
