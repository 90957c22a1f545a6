// Shared, framework-free: the example resource's input contract (zod schemas
// noteId, createNote, listNotes), checked with ../validation.js. Strict objects: unknown keys are
// refused rather than silently dropped, and every field has a type and a bound,
// so `?limit[$gt]=1`, repeated parameters and objects-for-strings all fail.
import { z } from 'zod';

export const noteId = z.strictObject({
  id: z.uuid({ error: 'must be a UUID' }),
});

export const createNote = z.strictObject({
  title: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  body: z.string().max(10_000, { error: 'must be at most 10000 characters' }).default(''),
});

export const listNotes = z.strictObject({
  // Query values arrive as strings; a repeated parameter arrives as an array and fails here.
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'must be an integer between 1 and 100' })
    .transform(Number)
    .pipe(z.int().min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }))
    .default(20),
});
