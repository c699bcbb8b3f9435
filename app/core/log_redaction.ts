/*
 * Log fields that could carry personal data. Pino replaces them before a line is written, at any
 * depth we expect them (top level, one object down, and inside `err`/`request`).
 */
const FIELDS = [
  'email',
  'phone',
  'name',
  'password',
  'token',
  'secret',
  'totp',
  'code',
  'body',
  'text',
  'message_text',
  'wa_id',
  'waId',
  'igsid',
  'address',
  'authorization',
  'cookie',
  'ip',
]

/* `name` at the top level is pino's logger name, so it is redacted one level down only. */
export const REDACTED_LOG_PATHS = FIELDS.flatMap((field) => [
  ...(field === 'name' ? [] : [field]),
  `*.${field}`,
  `req.headers.${field}`,
  `request.headers.${field}`,
])
