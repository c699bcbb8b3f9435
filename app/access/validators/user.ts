import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { pageQuery } from '#core/pagination'

export const userListValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: vine.string().trim().maxLength(100).optional(),
    kind: vine.enum(['staff', 'merchant']).optional(),
    merchantId: vine.number().positive().withoutDecimals().optional(),
    role: vine.string().trim().maxLength(40).optional(),
    status: vine.enum(['active', 'disabled']).optional(),
    /* Whether the second factor is set up: `off` lists those still without one. */
    mfa: vine.enum(['on', 'off']).optional(),
  })
)

export const createUserValidator = vine.compile(
  vine.object({
    fullName: vine.string().trim().minLength(2).maxLength(200),
    email: vine.string().trim().email().maxLength(254).normalizeEmail({ all_lowercase: true }),
    kind: vine.enum(['staff', 'merchant']),
    merchantId: vine
      .number()
      .positive()
      .withoutDecimals()
      .optional()
      .requiredWhen('kind', '=', 'merchant'),
    role: vine.string().trim().maxLength(40),
  })
)

/** The invited person's own password (an admin never sets one). */
export const acceptInvitationValidator = vine.compile(
  vine.object({
    password: vine
      .string()
      .minLength(12)
      .maxLength(200)
      .confirmed({ confirmationField: 'passwordConfirmation' }),
  })
)

acceptInvitationValidator.messagesProvider = new SimpleMessagesProvider({
  'password.required': 'Choose a password.',
  'password.minLength': 'Your password needs at least 12 characters.',
  'password.confirmed': 'The two passwords are not the same.',
})

export const roleChangeValidator = vine.compile(
  vine.object({
    role: vine.string().trim().maxLength(40),
  })
)

/** Messages in words a form user reads next to the field. */
createUserValidator.messagesProvider = new SimpleMessagesProvider(
  {
    'required': 'Enter the {{ field }}.',
    'fullName.minLength': 'Enter the full name (at least 2 characters).',
    'email.email': 'Enter a valid e-mail address, like name@example.com.',
    'merchantId.requiredWhen': 'Choose the merchant this user belongs to.',
    'role.required': 'Choose a role.',
    'kind.enum': 'Choose staff or merchant user.',
  },
  {
    fullName: 'full name',
    email: 'e-mail address',
    merchantId: 'merchant',
  }
)
