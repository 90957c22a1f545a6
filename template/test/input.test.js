// BASELINE 9, 10: schema validation on every route. Operators, repeated
// parameters, wrong types, unknown keys and prototype keys are all refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { assertError, buildApp } from './helpers.js';

const { app } = await buildApp();

describe('query validation', () => {
  for (const query of ['limit[$gt]=1', 'limit=1&limit=2', 'limit=abc', 'limit=0', 'limit=101', 'limit=1.5', 'limit=-1', 'sort=title', '__proto__[x]=1', 'constructor=1']) {
    it(`?${query} → 400`, async () => {
      const res = await request(app).get(`/api/v1/notes?${query}`);
      assertError(res, 400, 'validation_failed');
    });
  }

  it('?limit=5 is accepted and typed', async () => {
    const res = await request(app).get('/api/v1/notes?limit=5');
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body.items));
  });

  it('reports the unknown key as a field', async () => {
    const res = await request(app).get('/api/v1/notes?limit[$gt]=1');
    const error = assertError(res, 400, 'validation_failed');
    assert.deepEqual(error.details, [{ field: 'query.limit[$gt]', issue: 'unknown_field', message: 'Unknown field' }]);
  });
});

describe('body validation', () => {
  const invalid = {
    'title as number': { title: 1 },
    'title as array': { title: ['a'] },
    'title as operator object': { title: { $ne: null } },
    'empty title': { title: '   ' },
    'title over 200 chars': { title: 'x'.repeat(201) },
    'body over 10000 chars': { title: 't', body: 'x'.repeat(10_001) },
    'unknown key': { title: 't', isAdmin: true },
    'missing title': { body: 'b' },
    'top-level array': [{ title: 't' }],
  };
  for (const [name, payload] of Object.entries(invalid)) {
    it(`${name} → 400`, async () => {
      const res = await request(app).post('/api/v1/notes').send(payload);
      assertError(res, 400, 'validation_failed');
    });
  }

  for (const raw of ['"title"', '42', 'null', 'true']) {
    it(`top-level ${raw} → 400 malformed_json (strict JSON)`, async () => {
      const res = await request(app).post('/api/v1/notes').type('json').send(raw);
      assertError(res, 400, 'malformed_json');
    });
  }

  it('non-JSON content type → 415', async () => {
    const res = await request(app).post('/api/v1/notes').type('form').send('title=x');
    assertError(res, 415, 'unsupported_media_type');
  });
});

describe('prototype pollution', () => {
  const payloads = {
    '__proto__ at the top': '{"title":"t","__proto__":{"polluted":true}}',
    'constructor.prototype': '{"title":"t","constructor":{"prototype":{"polluted":true}}}',
    'nested __proto__': '{"title":"t","meta":{"a":[{"__proto__":{"polluted":true}}]}}',
    'prototype key': '{"prototype":{"polluted":true},"title":"t"}',
  };
  for (const [name, raw] of Object.entries(payloads)) {
    it(`${name} → 400 forbidden_key, nothing polluted`, async () => {
      const res = await request(app).post('/api/v1/notes').type('json').send(raw);
      assertError(res, 400, 'forbidden_key');
      assert.equal({}.polluted, undefined);
      assert.equal(Object.prototype.polluted, undefined);
    });
  }
});

describe('path parameters', () => {
  it('a non-UUID id → 400', async () => {
    const res = await request(app).get('/api/v1/notes/1%20OR%201=1');
    const error = assertError(res, 400, 'validation_failed');
    assert.equal(error.details[0].field, 'params.id');
  });
});
