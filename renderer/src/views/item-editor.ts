// The item editor: view, edit, duplicate or delete one item as plain JSON or DynamoDB JSON. Types are
// kept exactly (numbers as written, sets stay sets, binary stays binary); problems are marked in the
// text before saving; saves are conditional on the version that was loaded, so a concurrent change
// is reported instead of overwritten.
//
// An existing item is always read again from the table by its key (consistently) before it can be
// edited: a row in a grid may come from an index that projects only some attributes, or be older
// than the stored item, and saving (or "overwriting") such an image would replace the whole item
// with it. Closing with unsaved edits asks first.
import type { AttributeValue, Item, StudioBackend, WriteResult } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { loadEditor } from '../editor/load.js';
import type { EditorModules } from '../editor/load.js';
import type { monaco } from '../editor/monaco.js';
import { parseJson } from '../lib/json.js';
import type { JsonNode } from '../lib/json.js';
import { decodeItem, itemToDynamoText, itemToPlainText, keyOf, typeOf } from '../lib/values.js';
import type { KeyInfo, Problem } from '../lib/values.js';
import { clear, confirmDialog, h, modal, toast } from '../ui/dom.js';

export interface ItemEditorOptions {
  backend: StudioBackend;
  table: string;
  keys: KeyInfo;
  /** The row the user opened (a new item's template); existing items are read again by its key. */
  item: Item;
  isNew: boolean;
  /** The index the row was read through, if any (only named in the notice). */
  index?: string;
  onSaved(item: Item): void;
  onDeleted(item: Item): void;
}

type Mode = 'plain' | 'dynamo';

const MODE_KEY = 'sortkey.studio.itemMode';

function sameKey(a: Item, b: Item, keys: KeyInfo): boolean {
  return JSON.stringify(keyOf(a, keys.keySchema)) === JSON.stringify(keyOf(b, keys.keySchema));
}

/** Opens the item editor once Monaco's chunk is there (at once after the first time). */
export function openItemEditor(options: ItemEditorOptions): void {
  loadEditor().then(
    (modules) => openLoaded(modules, options),
    (e: unknown) => console.error('sortkey studio: the item editor could not be loaded', e),
  );
}

function openLoaded(modules: EditorModules, options: ItemEditorOptions): void {
  const { monaco, ITEM_JSON, rangeOf } = modules;
  const { backend, table, keys } = options;
  /** The stored version the edit started from (undefined for a new item). */
  let original: Item | undefined;
  let template: Item = options.item;
  let mode: Mode = (localStorage.getItem(MODE_KEY) as Mode | null) === 'dynamo' ? 'dynamo' : 'plain';
  let problems: Problem[] = [];
  let busy = false;
  /** Until the stored item has been read, nothing can be saved. */
  let loaded = options.isNew;
  let closed = false;
  /** The text differs from what was loaded (edits that Escape/Cancel/× would throw away). */
  let dirty = false;
  /** Set while the text is replaced by the editor itself (loading, switching modes). */
  let replacing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const title = h('span', null, options.isNew ? `New item in ${table}` : `Item in ${table}`);
  const m = modal('Item', {
    wide: true,
    testId: 'item-editor',
    beforeClose: () => confirmDiscard(),
    onClose: () => {
      closed = true;
      clearTimeout(timer);
      editor.dispose();
    },
  });
  m.root.querySelector('h2')!.replaceChildren(title);

  const tabs = h(
    'div.tabs',
    { role: 'tablist' },
    (['plain', 'dynamo'] as const).map((t) =>
      h(
        'button.tab',
        { role: 'tab', dataset: { mode: t }, onclick: () => switchMode(t) },
        t === 'plain' ? 'JSON' : 'DynamoDB JSON',
      ),
    ),
  );
  const hint = h('p.hint.editor-hint');
  const host = h('div.item-editor-host', { 'data-testid': 'item-editor-text' });
  const problemList = h('ul.problem-list', { 'data-testid': 'item-problems', 'aria-live': 'polite' });
  const conflictBox = h('div.conflict', { hidden: true, role: 'alert', 'data-testid': 'item-conflict' });
  const sourceLine = h('p.item-source', { 'data-testid': 'item-source', 'aria-live': 'polite' });
  m.body.append(h('div.editor-head', null, tabs, hint), sourceLine, host, problemList, conflictBox);

  const editor = monaco.editor.create(host, {
    value: '',
    language: ITEM_JSON,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    lineNumbersMinChars: 3,
    scrollBeyondLastLine: false,
    tabSize: 2,
    wordBasedSuggestions: 'off',
    fixedOverflowWidgets: true,
    ariaLabel: 'Item JSON',
  });
  const model = editor.getModel()!;
  const typeHints = editor.createDecorationsCollection();

  /** In plain JSON, the types JSON cannot show (sets, binary) are shown after the attribute's name. */
  function showTypeHints(item: Item | undefined): void {
    if (mode !== 'plain' || !item) {
      typeHints.clear();
      return;
    }
    let root: JsonNode;
    try {
      root = parseJson(model.getValue());
    } catch {
      typeHints.clear();
      return;
    }
    const hints: monaco.editor.IModelDeltaDecoration[] = [];
    const walk = (node: JsonNode, values: Item): void => {
      if (node.kind !== 'object') return;
      for (const e of node.entries) {
        const v: AttributeValue | undefined = values[e.key];
        if (!v) continue;
        const t = typeOf(v);
        if (t === 'SS' || t === 'NS' || t === 'BS' || t === 'B') {
          const at = model.getPositionAt(e.keySpan.end);
          hints.push({
            range: {
              startLineNumber: at.lineNumber,
              startColumn: at.column,
              endLineNumber: at.lineNumber,
              endColumn: at.column,
            },
            options: {
              showIfCollapsed: true,
              after: { content: ` ${t}`, inlineClassName: 'type-hint' },
              hoverMessage: { value: `Stored as ${t}` },
            },
          });
        } else if ('M' in v) walk(e.value, v.M);
      }
    };
    walk(root, item);
    typeHints.set(hints);
  }

  const saveButton = h('button.primary', { 'data-testid': 'item-save', onclick: () => void save() }, 'Save');
  const deleteButton = h(
    'button.danger-outline',
    { 'data-testid': 'item-delete', onclick: () => void remove(), hidden: options.isNew },
    'Delete',
  );
  const duplicateButton = h(
    'button',
    {
      'data-testid': 'item-duplicate',
      onclick: () => duplicate(),
      hidden: options.isNew,
      title: 'Edit a copy and save it under a new key',
    },
    'Duplicate',
  );
  m.footer.append(
    deleteButton,
    h('span.spacer'),
    duplicateButton,
    h('button', { onclick: () => void m.requestClose(), 'data-testid': 'item-cancel' }, 'Cancel'),
    saveButton,
  );

  async function confirmDiscard(): Promise<boolean> {
    if (!dirty) return true;
    return confirmDialog({
      title: 'Discard changes?',
      message: 'This item has edits that are not saved. Close the editor and throw them away?',
      confirm: 'Discard changes',
      cancel: 'Keep editing',
      danger: true,
      testId: 'discard-dialog',
      confirmTestId: 'discard-changes',
      cancelTestId: 'keep-editing',
    });
  }

  /** Replaces the text without counting it as an edit. */
  function setText(text: string): void {
    replacing = true;
    try {
      model.setValue(text);
    } finally {
      replacing = false;
    }
  }

  function textFor(item: Item): string {
    return mode === 'plain' ? itemToPlainText(item) : itemToDynamoText(item);
  }

  function setMode(next: Mode): void {
    mode = next;
    localStorage.setItem(MODE_KEY, mode);
    for (const b of tabs.querySelectorAll<HTMLElement>('.tab'))
      b.classList.toggle('active', b.dataset.mode === mode);
    hint.textContent =
      mode === 'plain'
        ? 'Plain JSON. Numbers are kept exactly as written; attributes that were sets or binary stay sets and binary. New sets and binary values need DynamoDB JSON.'
        : 'DynamoDB JSON: every value names its type, e.g. {"N": "12.5"}, {"SS": ["a", "b"]}, {"B": "base64…"}.';
  }

  function validate(): ReturnType<typeof decodeItem> {
    if (closed) return { problems: [] };
    const r = decodeItem(model.getValue(), mode, template, keys);
    problems = r.problems;
    monaco.editor.setModelMarkers(
      model,
      'item',
      problems.map((p) => ({
        severity: p.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: p.message,
        ...rangeOf(model, p.start, p.end),
      })),
    );
    clear(
      problemList,
      problems.map((p) => {
        const pos = model.getPositionAt(p.start);
        return h(
          'li',
          { class: p.severity },
          h(
            'button.link',
            { onclick: () => (editor.setPosition(pos), editor.revealPositionInCenter(pos), editor.focus()) },
            `Line ${pos.lineNumber}:${pos.column}`,
          ),
          ` ${p.message}`,
        );
      }),
    );
    saveButton.disabled = busy || !loaded || problems.some((p) => p.severity === 'error');
    showTypeHints(r.item);
    return r;
  }

  function switchMode(next: Mode): void {
    if (next === mode) return;
    // Converting needs well-formed text only: a new item's key may still be empty.
    const r = decodeItem(model.getValue(), mode, template);
    if (!r.item) {
      validate();
      toast('Fix the problems first: the text cannot be converted while it has errors', 'error');
      return;
    }
    template = r.item;
    setMode(next);
    setText(textFor(r.item));
    validate();
  }

  function showConflict(
    result: Extract<WriteResult, { ok: false }>,
    retry: (current: Item | undefined) => void,
  ): void {
    conflictBox.hidden = false;
    const current = result.current;
    clear(
      conflictBox,
      h('strong', null, 'Not saved: '),
      result.message,
      ' Someone (another tab, your app, the SDK) changed this item after you opened it.',
      h(
        'div.conflict-actions',
        null,
        current
          ? h(
              'button',
              {
                'data-testid': 'conflict-reload',
                onclick: () => {
                  original = current;
                  template = current;
                  setText(textFor(current));
                  dirty = false;
                  conflictBox.hidden = true;
                },
              },
              'Load the stored version',
            )
          : null,
        h(
          'button.danger-outline',
          { 'data-testid': 'conflict-overwrite', onclick: () => retry(current) },
          current ? 'Overwrite it with mine' : 'Save mine anyway',
        ),
      ),
    );
  }

  async function put(item: Item, expected: Item | null): Promise<void> {
    busy = true;
    saveButton.disabled = true;
    try {
      const r = await backend.putItem({ table, item, expected });
      if (r.ok) {
        toast('Saved', 'ok');
        options.onSaved(item);
        m.close();
        return;
      }
      if (closed) return;
      showConflict(r, (current) => {
        conflictBox.hidden = true;
        void put(item, current ?? null);
      });
    } catch (e) {
      clear(conflictBox, h('strong', null, 'Not saved: '), errorText(e));
      conflictBox.hidden = false;
    } finally {
      busy = false;
      // After a successful save the editor (and its model) is gone: nothing to validate.
      if (!closed) validate();
    }
  }

  async function save(): Promise<void> {
    if (!loaded || closed) return;
    const r = validate();
    if (!r.item) return;
    if (original && !sameKey(original, r.item, keys)) {
      const ok = await confirmDialog({
        title: 'Key changed',
        message:
          'The key attributes differ from the item you opened, so this saves a new item and leaves the original as it is. Continue?',
        confirm: 'Save as a new item',
      });
      if (!ok) return;
      await put(r.item, null);
      return;
    }
    await put(r.item, original ?? null);
  }

  async function remove(): Promise<void> {
    if (!original) return;
    const ok = await confirmDialog({
      title: 'Delete item',
      message: 'Delete this item? This cannot be undone.',
      confirm: 'Delete item',
      danger: true,
    });
    if (!ok) return;
    const target = original;
    const attempt = async (expected: Item | undefined): Promise<void> => {
      try {
        const r = await backend.deleteItem({
          table,
          key: keyOf(target, keys.keySchema),
          ...(expected ? { expected } : {}),
        });
        if (r.ok) {
          toast('Deleted', 'ok');
          options.onDeleted(target);
          m.close();
          return;
        }
        showConflict(r, (current) => {
          conflictBox.hidden = true;
          if (current) void attempt(current);
          else m.close();
        });
      } catch (e) {
        toast(errorText(e), 'error');
      }
    };
    await attempt(target);
  }

  function duplicate(): void {
    original = undefined;
    title.textContent = `New item in ${table} (copy: change the key, then save)`;
    deleteButton.hidden = true;
    duplicateButton.hidden = true;
    const first = keys.keySchema[0];
    const match = first
      ? new RegExp(`"${first.AttributeName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(model.getValue())
      : null;
    if (match) {
      const pos = model.getPositionAt(match.index);
      editor.setPosition(pos);
      editor.revealPositionInCenter(pos);
    }
    editor.focus();
  }

  /**
   * Reads the stored item by the row's key. The row may be an index's projection or older than the
   * table: the editor only ever edits (and conditions its save on) the whole stored item.
   */
  async function load(): Promise<void> {
    const row = options.item;
    const through = options.index ? `index ${options.index}` : undefined;
    sourceLine.textContent = 'Reading the item from the table…';
    editor.updateOptions({ readOnly: true });
    let stored: Item | undefined;
    try {
      stored = (await backend.getItem({ table, key: keyOf(row, keys.keySchema), consistentRead: true })).item;
    } catch (e) {
      if (closed) return;
      sourceLine.textContent = `Could not read the item: ${errorText(e)}`;
      sourceLine.className = 'item-source error-text';
      return;
    }
    if (closed) return;
    if (!stored) {
      sourceLine.textContent = `This item is no longer in ${table}: it was deleted after the row was read${through ? ` through ${through}` : ''}. Nothing to edit.`;
      sourceLine.className = 'item-source error-text';
      deleteButton.hidden = true;
      duplicateButton.hidden = true;
      return;
    }
    original = stored;
    template = stored;
    loaded = true;
    editor.updateOptions({ readOnly: false });
    // Unless the user already typed into the row's text, show the stored item.
    if (!dirty) setText(textFor(stored));
    else template = stored;
    const rowNames = Object.keys(row);
    const staleRow = rowNames.some((n) => !stored![n] || !sameValue(row[n]!, stored![n]!));
    const missing = Object.keys(stored).filter((n) => !(n in row)).length;
    if (staleRow) {
      sourceLine.textContent = `This item changed since the row was read${through ? ` through ${through}` : ''}: the editor shows the whole item as read from the table just now.`;
      sourceLine.className = 'item-source warning-text';
    } else if (missing > 0) {
      sourceLine.textContent = `The whole item, read from the table: the row${through ? ` from ${through}` : ''} showed ${rowNames.length} of its ${Object.keys(stored).length} attributes.`;
      sourceLine.className = 'item-source';
    } else {
      sourceLine.textContent = 'The whole item, as read from the table just now.';
      sourceLine.className = 'item-source';
    }
    validate();
  }

  setMode(mode);
  setText(textFor(options.item));
  model.onDidChangeContent(() => {
    if (!replacing) dirty = true;
    clearTimeout(timer);
    timer = setTimeout(validate, 150);
  });
  validate();
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void save());
  setTimeout(() => editor.focus(), 0);
  if (!options.isNew) void load();
  else sourceLine.hidden = true;
}

/** Structural equality of attribute values (sets as sets; numbers as written). */
function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const va = (a as Record<string, unknown>)[ta];
  const vb = (b as Record<string, unknown>)[ta];
  if (ta === 'SS' || ta === 'NS' || ta === 'BS') {
    const sa = va as string[];
    const sb = new Set(vb as string[]);
    return sa.length === sb.size && sa.every((x) => sb.has(x));
  }
  if (ta === 'L') {
    const la = va as AttributeValue[];
    const lb = vb as AttributeValue[];
    return la.length === lb.length && la.every((x, i) => sameValue(x, lb[i]!));
  }
  if (ta === 'M') {
    const ma = va as Item;
    const mb = vb as Item;
    const ka = Object.keys(ma);
    return ka.length === Object.keys(mb).length && ka.every((k) => k in mb && sameValue(ma[k]!, mb[k]!));
  }
  return va === vb;
}
