/**
 * A value that is safe in one e-mail header line. CR or LF would end the header and let the text
 * add its own (`Bcc:`, a second body); other control characters have no place there either.
 */
export function headerValue(text: string) {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what this removes
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  )
}
