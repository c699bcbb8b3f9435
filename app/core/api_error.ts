import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { DomainError } from '#core/errors'

export interface ApiErrorBody {
  error: { code: string; message: string; details: unknown[] }
}

/** Framework error codes mapped to the stable snake_case codes API clients see. */
const FRAMEWORK_CODES: Record<string, { code: string; message?: string }> = {
  E_ROUTE_NOT_FOUND: { code: 'not_found', message: 'No such route.' },
  E_ROW_NOT_FOUND: {
    code: 'not_found',
    message: 'The resource does not exist or is not visible to you.',
  },
  E_BAD_CSRF_TOKEN: {
    code: 'csrf_token_invalid',
    message: 'The form expired or its CSRF token is missing. Reload the page and try again.',
  },
  E_UNAUTHORIZED_ACCESS: { code: 'unauthenticated', message: 'Authentication is required.' },
  E_INVALID_CREDENTIALS: {
    code: 'invalid_credentials',
    message: 'The e-mail or password is wrong.',
  },
  E_TOO_MANY_REQUESTS: { code: 'too_many_requests' },
  E_REQUEST_ENTITY_TOO_LARGE: {
    code: 'payload_too_large',
    message: 'The request body is larger than allowed.',
  },
  E_HTTP_REQUEST_ABORTED: { code: 'bad_request' },
}

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'The request is malformed.',
  401: 'Authentication is required.',
  403: 'You do not have permission to do this.',
  404: 'The resource does not exist or is not visible to you.',
  413: 'The request body is larger than allowed.',
  429: 'Too many requests. Try again later.',
  500: 'Something went wrong on our side. The request id identifies it for support.',
  503: 'A service the hub depends on is unavailable. Try again shortly.',
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'too_many_requests',
  503: 'service_unavailable',
}

/** Turns any thrown value into the DESIGN.md §10 error shape without leaking internals. */
export function apiErrorOf(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    return {
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          message: 'Some fields are invalid.',
          details: (error.messages as unknown[]) ?? [],
        },
      },
    }
  }

  const err = (error ?? {}) as {
    status?: number
    code?: string
    message?: string
    details?: unknown[]
    type?: string
  }
  let status =
    typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500
  // body-parser reports malformed JSON as a SyntaxError with status 400
  if (error instanceof SyntaxError && status === 500) status = 400

  const mapped = err.code ? FRAMEWORK_CODES[err.code] : undefined
  // Our own errors are written for users, whatever their status; anything else is described generically
  const isOurs = error instanceof DomainError
  const code =
    mapped?.code ??
    (isOurs
      ? err.code!
      : (STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request')))

  let message =
    mapped?.message ?? GENERIC_MESSAGES[status] ?? GENERIC_MESSAGES[status < 500 ? 400 : 500]
  if (isOurs && err.message) message = err.message
  else if (!mapped?.message && status < 500 && err.code?.startsWith('E_') && err.message)
    message = err.message
  if (error instanceof SyntaxError) message = 'The request body is not valid JSON.'

  return {
    status,
    body: {
      error: { code, message, details: isOurs && Array.isArray(err.details) ? err.details : [] },
    },
  }
}

export function isApiRequest(ctx: HttpContext) {
  const url = ctx.request.url()
  if (url.startsWith('/api/') || url.startsWith('/webhooks/') || url === '/health') return true
  return ctx.request.accepts(['html', 'json']) === 'json'
}
