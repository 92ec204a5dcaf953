import type { FastifyRequest } from 'fastify';

// An error page is HTML for a browser: the flow recorder cannot read its error back from the body,
// so the page notes it here. A WeakMap, so a finished request takes its note with it.
const notes = new WeakMap<FastifyRequest, { error: string; description: string }>();

export function noteAnswer(request: FastifyRequest, error: string, description: string): void {
  notes.set(request, { error, description });
}

export function notedAnswer(request: FastifyRequest): { error: string; description: string } | undefined {
  return notes.get(request);
}
