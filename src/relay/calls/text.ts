import * as z from 'zod';

/**
 * C0 and C1 controls, line and paragraph separators, and bidirectional controls (overrides,
 * embeddings, isolates, marks): nothing a person types into a form, and the usual tools for
 * log and display injection.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const HAS_CONTROL = new RegExp(CONTROL_CHARACTERS.source);

/** Text a browser may send: at most `max` characters, no control characters. */
export const plainText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !HAS_CONTROL.test(v), { message: 'must not contain control characters' });

/** The most characters of a label the widget shows. */
export const LABEL_MAX = 60;

/**
 * A label as it may be shown and logged: control and bidirectional characters and angle
 * brackets removed, runs of white space made one space, at most {@link LABEL_MAX} characters.
 */
export function cleanLabel(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/[<>]/g, '').replace(/\s+/g, ' ').trim().slice(0, LABEL_MAX);
}
