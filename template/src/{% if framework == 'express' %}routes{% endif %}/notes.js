// /api/v1/notes: every handler validates its input first and reads only the
// parsed values from res.locals.input. Async errors reach the error handler
// (Express 5 forwards rejected promises).
import { Router } from 'express';
import { HttpError } from '../errors.js';
import { validate } from '../middleware/validate.js';
import { createNote, listNotes, noteId } from '../notes/schema.js';

/**
 * @param {object} deps
 * @param {import('../notes/store.js').NoteStore} deps.store
 */
export function notesRoutes({ store }) {
  const router = Router();

  router.post('/', validate({ body: createNote }), async (req, res) => {
    const note = await store.create(res.locals.input.body);
    res.status(201).location(`${req.baseUrl}/${note.id}`).json(note);
  });

  router.get('/', validate({ query: listNotes }), async (req, res) => {
    const items = await store.list(res.locals.input.query);
    res.json({ items });
  });

  router.get('/:id', validate({ params: noteId }), async (req, res) => {
    const note = await store.get(res.locals.input.params.id);
    if (note === null) throw new HttpError(404, 'not_found', 'Note not found');
    res.json(note);
  });

  return router;
}
