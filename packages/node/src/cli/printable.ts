/**
 * Control characters, shown as escapes: text from a server or a file, printed for a person,
 * must not drive the terminal (an escape sequence can retitle it, erase a line and print a
 * fake lifecycle line in its place; bidi controls can reorder what is read). Tab stays, and
 * line breaks where the text may span lines (a message, one per line, may not: it could print a
 * line that looks like a lifecycle line).
 */
export function printable(text: string, lines = false): string {
  return text.replace(lines ? controls : controlsAndBreaks, shown);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const controls = /[\0-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const controlsAndBreaks = /[\0-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const shown = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

const jsonUnsafe = /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/**
 * One JSON line, where what JSON.stringify leaves raw and a terminal may still act on (C1
 * controls, bidi controls, line separators) is written as \u escapes: the same JSON value.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(jsonUnsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
