import { Exception } from '@adonisjs/core/exceptions'

/**
 * A failure the user can act on. `code` is stable (API clients branch on it) and `status` is
 * the HTTP status the exception handler answers with.
 */
export class DomainError extends Exception {
  declare code: string
  details: unknown[]

  constructor(
    code: string,
    message: string,
    options: { status?: number; details?: unknown[] } = {}
  ) {
    super(message, { code, status: options.status ?? 400 })
    this.details = options.details ?? []
  }
}

export class NotFound extends DomainError {
  constructor(what = 'resource') {
    super('not_found', `The ${what} does not exist or is not visible to you.`, { status: 404 })
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You do not have permission to do this.') {
    super('forbidden', message, { status: 403 })
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, { status: 409 })
  }
}

export class ServiceUnavailable extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, { status: 503 })
  }
}

/**
 * A rule on a field failed; rendered like a VineJS error so forms and API clients treat both
 * alike. `rule` is stable and names the message in other languages (`field_errors.<rule>`);
 * the English message may name what was typed.
 */
export class FieldInvalid extends DomainError {
  constructor(field: string, message: string, rule = 'invalid') {
    super('validation_failed', message, { status: 422, details: [{ field, rule, message }] })
  }
}
