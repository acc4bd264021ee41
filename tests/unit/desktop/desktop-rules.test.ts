// The desktop app's rules that need no Electron binary: which links open in the system browser,
// which database a second launch names, and that the packaged app's menu has no DevTools.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explicitDatabase } from '../../../main/electron/args.js';
import { isDocumentationLink } from '../../../main/electron/links.js';
import { menuTemplate } from '../../../main/electron/menu.js';

describe('desktop app rules', () => {
  it('opens only http(s) documentation links externally', () => {
    for (const url of [
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html',
      'https://github.com/sortkey/sortkey',
      'http://aws.amazon.com/dynamodb/',
    ])
      assert.equal(isDocumentationLink(url), true, url);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://docs.aws.amazon.com/x',
      'https://evil.example.com/',
      'https://docs.aws.amazon.com.evil.example/',
      'https://user:pw@docs.aws.amazon.com/',
      'not a url',
    ])
      assert.equal(isDocumentationLink(url), false, url);
  });

  it('reads the database a second launch names, and nothing when it names none', () => {
    assert.equal(explicitDatabase(['/opt/app', '--db', 'other.sqlite']), 'other.sqlite');
    assert.equal(explicitDatabase(['/opt/app', '--db=/data/x.sqlite']), '/data/x.sqlite');
    assert.equal(explicitDatabase(['/opt/app', '--in-memory']), ':memory:');
    assert.equal(explicitDatabase(['/opt/app', '--port', '9000']), undefined);
    assert.equal(explicitDatabase(['/opt/app', '--db']), undefined);
  });

  it('has Toggle Developer Tools only in a development run', () => {
    const roles = (devTools: boolean): string[] =>
      menuTemplate({
        isMac: false,
        appName: 'Sortkey Studio',
        window: () => undefined,
        about: () => undefined,
        showEndpoint: () => undefined,
        devTools,
      }).flatMap((m) =>
        Array.isArray(m.submenu) ? m.submenu.map((i) => String((i as { role?: string }).role)) : [],
      );
    assert.ok(roles(true).includes('toggleDevTools'));
    assert.ok(!roles(false).includes('toggleDevTools'));
  });
});
