/**
 * A value that is safe in one e-mail header line. CR or LF would end the header and let the text
 * add its own (`Bcc:`, a second body); other control characters have no place there either.
 */
export function headerValue(text: string) {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
}
