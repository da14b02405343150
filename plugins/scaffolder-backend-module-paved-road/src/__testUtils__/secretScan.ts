/**
 * The forms a generated secret could leak in: as written, its random bytes in base64,
 * base64url and hex, the text itself base64-encoded, and URL-encoded (alone and as
 * JSON). Padding is dropped, as a partial encoding would not carry it.
 */
export function leakForms(value: string): string[] {
  const bytes = Buffer.from(value, 'base64url');
  const forms = [
    value,
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    Buffer.from(value, 'utf8').toString('base64'),
    Buffer.from(value, 'utf8').toString('base64url'),
    encodeURIComponent(value),
    encodeURIComponent(JSON.stringify(value)),
    JSON.stringify(value),
  ];
  return [...new Set(forms.map(form => form.replace(/=+$/, '')))];
}

/** The forms of `secrets` found in `haystack`, so a failing test says which leaked where. */
export function findLeaks(
  secrets: string[],
  haystack: Record<string, string>,
): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const form of leakForms(secret)) {
      for (const [where, text] of Object.entries(haystack)) {
        if (text.includes(form)) {
          found.push(`${where} contains ${JSON.stringify(form)}`);
        }
      }
    }
  }
  return found;
}
