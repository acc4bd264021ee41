// The item editor: view, edit, duplicate or delete one item as plain JSON or DynamoDB JSON. Types are
// kept exactly (numbers as written, sets stay sets, binary stays binary); problems are marked in the
// text before saving; saves are conditional on the version that was loaded, so a concurrent change
// is reported instead of overwritten.
import type { AttributeValue, Item, StudioBackend, WriteResult } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { ITEM_JSON, monaco, rangeOf, setupMonaco } from '../editor/monaco.js';
import { parseJson } from '../lib/json.js';
import type { JsonNode } from '../lib/json.js';
import { decodeItem, itemToDynamoText, itemToPlainText, keyOf, typeOf } from '../lib/values.js';
import type { KeyInfo, Problem } from '../lib/values.js';
import { clear, confirmDialog, h, modal, toast } from '../ui/dom.js';

export interface ItemEditorOptions {
  backend: StudioBackend;
  table: string;
  keys: KeyInfo;
  item: Item;
  isNew: boolean;
  onSaved(item: Item): void;
  onDeleted(item: Item): void;
}

type Mode = 'plain' | 'dynamo';

const MODE_KEY = 'sortkey.studio.itemMode';

function sameKey(a: Item, b: Item, keys: KeyInfo): boolean {
  return JSON.stringify(keyOf(a, keys.keySchema)) === JSON.stringify(keyOf(b, keys.keySchema));
}

export function openItemEditor(options: ItemEditorOptions): void {
  setupMonaco();
  const { backend, table, keys } = options;
  /** The stored version the edit started from (undefined for a new item). */
  let original: Item | undefined = options.isNew ? undefined : options.item;
  let template: Item = options.item;
  let mode: Mode = (localStorage.getItem(MODE_KEY) as Mode | null) === 'dynamo' ? 'dynamo' : 'plain';
  let problems: Problem[] = [];
  let busy = false;

  const title = h('span', null, options.isNew ? `New item in ${table}` : `Item in ${table}`);
  const m = modal('Item', { wide: true, testId: 'item-editor', onClose: () => editor.dispose() });
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
  m.body.append(h('div.editor-head', null, tabs, hint), host, problemList, conflictBox);

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
    h('button', { onclick: () => m.close() }, 'Cancel'),
    saveButton,
  );

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
    saveButton.disabled = busy || problems.some((p) => p.severity === 'error');
    showTypeHints(r.item);
    return r;
  }

  function switchMode(next: Mode): void {
    if (next === mode) return;
    const r = validate();
    if (!r.item) {
      toast('Fix the problems first: the text cannot be converted while it has errors', 'error');
      return;
    }
    template = r.item;
    setMode(next);
    model.setValue(textFor(r.item));
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
                  model.setValue(textFor(current));
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
      showConflict(r, (current) => {
        conflictBox.hidden = true;
        void put(item, current ?? null);
      });
    } catch (e) {
      clear(conflictBox, h('strong', null, 'Not saved: '), errorText(e));
      conflictBox.hidden = false;
    } finally {
      busy = false;
      validate();
    }
  }

  async function save(): Promise<void> {
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

  setMode(mode);
  model.setValue(textFor(options.item));
  let timer: ReturnType<typeof setTimeout> | undefined;
  model.onDidChangeContent(() => {
    clearTimeout(timer);
    timer = setTimeout(validate, 150);
  });
  validate();
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void save());
  setTimeout(() => editor.focus(), 0);
}
