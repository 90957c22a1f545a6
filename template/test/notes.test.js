// The example resource end to end, and the bound on its in-memory store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createNoteStore } from '../src/notes/store.js';
import { assertError, buildApp } from './helpers.js';

describe('notes API', () => {
  it('creates, lists and reads a note', async () => {
    const { app } = await buildApp();
    const created = await request(app).post('/api/v1/notes').send({ title: '  Hello ', body: 'World' });
    assert.equal(created.status, 201);
    assert.equal(created.body.title, 'Hello');
    assert.equal(created.headers.location, `/api/v1/notes/${created.body.id}`);

    const list = await request(app).get('/api/v1/notes?limit=10');
    assert.deepEqual(list.body.items.map((note) => note.id), [created.body.id]);

    const read = await request(app).get(created.headers.location);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);
  });

  it('returns the newest notes first, at most `limit`', async () => {
    const { app } = await buildApp();
    for (const title of ['a', 'b', 'c']) await request(app).post('/api/v1/notes').send({ title });
    const res = await request(app).get('/api/v1/notes?limit=2');
    assert.deepEqual(res.body.items.map((note) => note.title), ['c', 'b']);
  });

  it('refuses to grow the store past its capacity', async () => {
    const { app } = await buildApp({ notesStore: createNoteStore({ capacity: 2 }) });
    for (const title of ['a', 'b']) assert.equal((await request(app).post('/api/v1/notes').send({ title })).status, 201);
    const res = await request(app).post('/api/v1/notes').send({ title: 'c' });
    assertError(res, 507, 'storage_full');
  });
});
