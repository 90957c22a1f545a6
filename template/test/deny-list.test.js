// BASELINE 25: deprecated or unsafe packages must not appear anywhere in the
// dependency tree (direct, transitive or aliased).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

const DENIED = new Map([
  ['csurf', 'deprecated and unmaintained; use csrf-csrf or csrf-sync'],
  ['xss-clean', 'unmaintained; escape on output instead'],
  ['express-mongo-sanitize', 'crashes on Express 5 (req.query is read-only); validate with schemas'],
  ['request', 'deprecated since 2020; use fetch'],
  ['node-serialize', 'executes code on deserialize (CVE-2017-5941)'],
]);

/** Names of every denied package in an npm lockfile (v2/v3 `packages`, v1 `dependencies`). */
export function findDenied(lock) {
  const found = new Set();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    for (const candidate of [name, entry?.name]) {
      if (path !== '' && DENIED.has(candidate)) found.add(candidate);
    }
  }
  const walk = (deps) => {
    for (const [name, entry] of Object.entries(deps ?? {})) {
      if (DENIED.has(name)) found.add(name);
      walk(entry?.dependencies);
    }
  };
  walk(lock.dependencies);
  return [...found].sort();
}

describe('dependency deny-list', () => {
  it('package-lock.json contains none of the denied packages', async () => {
    const lock = JSON.parse(await readFile(new URL('../package-lock.json', import.meta.url), 'utf8'));
    const found = findDenied(lock);
    assert.deepEqual(found, [], found.map((name) => `${name}: ${DENIED.get(name)}`).join('\n'));
  });

  it('package.json declares none of them', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies });
    assert.deepEqual(declared.filter((name) => DENIED.has(name)), []);
  });

  it('the check finds nested, aliased and v1-format entries (it can fail)', () => {
    const lock = {
      packages: {
        '': { name: 'request' },
        'node_modules/express': {},
        'node_modules/a/node_modules/csurf': {},
        'node_modules/safe-alias': { name: 'node-serialize' },
      },
      dependencies: { b: { dependencies: { 'xss-clean': {} } } },
    };
    assert.deepEqual(findDenied(lock), ['csurf', 'node-serialize', 'xss-clean']);
  });
});
