// JSON text in the console's editors: indented for reading, and checked before a call (the server judges content).

/** JSON text indented for reading; anything that is not JSON as it came. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Text as a JSON object, or the parse error (the client-side check before the server judges the content). */
export function parseJsonObject(text: string): { value?: Record<string, unknown>; error?: string } {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'The JSON must be an object ({ … }).' };
    return { value: value as Record<string, unknown> };
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
}
