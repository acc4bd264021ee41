// The "Code" dialog: the current query-builder read or PartiQL statement as a call in each SDK and the
// AWS CLI (renderer/src/lib/codegen.ts writes the code), for the database the studio is connected to.
import type { StudioBackend } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { CODE_LANGUAGES, generateCode } from '../lib/codegen.js';
import type { CodeLanguage, CodeRequest, CodeTarget } from '../lib/codegen.js';
import { clear, h, modal, toast } from '../ui/dom.js';

const LANGUAGE_KEY = 'sortkey.codegen.language';

function savedLanguage(): CodeLanguage {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  return CODE_LANGUAGES.some((l) => l.id === saved) ? (saved as CodeLanguage) : 'js-client';
}

export async function openCodeDialog(backend: StudioBackend, request: CodeRequest): Promise<void> {
  let target: CodeTarget;
  try {
    const info = await backend.info();
    target = { region: info.region, ...(info.endpoint ? { endpoint: info.endpoint } : {}) };
  } catch (e) {
    toast(errorText(e), 'error');
    return;
  }
  let language = savedLanguage();
  const m = modal(
    `Code for this ${request.operation === 'ExecuteStatement' ? 'statement' : request.operation}`,
    {
      wide: true,
      testId: 'code-dialog',
    },
  );
  const tabs = h('div.tabs.code-tabs', { role: 'tablist', 'aria-label': 'Language' });
  const code = h('pre.code-text', { 'data-testid': 'code-text', tabindex: '0' });
  const render = (): void => {
    clear(
      tabs,
      CODE_LANGUAGES.map((l) =>
        h(
          'button.tab',
          {
            role: 'tab',
            class: l.id === language ? 'tab active' : 'tab',
            'aria-selected': String(l.id === language),
            'data-testid': `code-lang-${l.id}`,
            onclick: () => {
              language = l.id;
              localStorage.setItem(LANGUAGE_KEY, language);
              render();
            },
          },
          l.label,
        ),
      ),
    );
    code.textContent = generateCode(language, request, target);
  };
  render();
  m.body.append(tabs, code);
  m.footer.append(
    h('button', { onclick: () => m.close() }, 'Close'),
    h(
      'button.primary',
      {
        'data-testid': 'code-copy',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(code.textContent ?? '');
            toast('Copied', 'ok');
          } catch {
            toast('The browser refused access to the clipboard: select the text and copy it', 'error');
          }
        },
      },
      'Copy',
    ),
  );
}
