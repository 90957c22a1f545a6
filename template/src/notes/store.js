// Shared, framework-free: createNoteStore({ capacity? }) → { create, get, list },
// the in-memory note repository for the example. Bounded, so it cannot be used to
// exhaust the process's memory; a real database-backed store (parameterized
// queries only) replaces it behind the same async interface.
import { randomUUID } from 'node:crypto';
import { HttpError } from '../errors.js';

export const DEFAULT_CAPACITY = 1000;

/** @typedef {ReturnType<typeof createNoteStore>} NoteStore */

export function createNoteStore({ capacity = DEFAULT_CAPACITY } = {}) {
  const notes = new Map();
  return {
    async create({ title, body }) {
      if (notes.size >= capacity) {
        throw new HttpError(507, 'storage_full', 'Note storage is full');
      }
      const note = Object.freeze({ id: randomUUID(), title, body, createdAt: new Date().toISOString() });
      notes.set(note.id, note);
      return note;
    },
    async get(id) {
      return notes.get(id) ?? null;
    },
    async list({ limit }) {
      // Newest first.
      return [...notes.values()].slice(-limit).reverse();
    },
  };
}
