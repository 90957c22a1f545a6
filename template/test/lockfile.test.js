// BASELINE 24: the committed lockfile pins every package to an HTTPS registry
// URL with an integrity hash, so `npm ci` installs exactly what was reviewed.
// (`npm run lint:lockfile` runs lockfile-lint for the same property in CI.)
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

const lock = JSON.parse(await readFile(new URL('../package-lock.json', import.meta.url), 'utf8'));

describe('package-lock.json', () => {
  it('is lockfile version 3', () => {
    assert.equal(lock.lockfileVersion, 3);
  });

  it('resolves every package over HTTPS from the npm registry with a sha512 integrity', () => {
    const problems = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || entry.link) continue;
      if (!entry.resolved?.startsWith('https://registry.npmjs.org/')) problems.push(`${path}: resolved ${entry.resolved}`);
      if (!entry.integrity?.startsWith('sha512-')) problems.push(`${path}: integrity ${entry.integrity}`);
    }
    assert.deepEqual(problems, []);
  });
});
