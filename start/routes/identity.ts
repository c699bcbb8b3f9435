/*
 * Sign-in, MFA, the user's own account security, and the merchant portal's API tokens.
 * The sign-in steps are public: each checks the session's own sign-in state.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const SessionController = () => import('#access/controllers/session_controller')
const MfaController = () => import('#access/controllers/mfa_controller')
const AccountSecurityController = () => import('#access/controllers/account_security_controller')
const ApiTokensController = () => import('#access/controllers/api_tokens_controller')
const InvitationsController = () => import('#access/controllers/invitations_controller')

router
  .group(() => {
    router.get('/login', [SessionController, 'show']).as('login.show')
    router.post('/login', [SessionController, 'store']).as('login.store')
    router.post('/logout', [SessionController, 'destroy']).as('logout')
    router.get('/mfa', [MfaController, 'challenge']).as('mfa.challenge')
    router.post('/mfa', [MfaController, 'verify']).as('mfa.verify')
    router.get('/mfa/enrol', [MfaController, 'enrol']).as('mfa.enrol')
    router.post('/mfa/enrol', [MfaController, 'confirm']).as('mfa.confirm')
    // The invitation link is the credential: each step checks it
    router.get('/invitations/:token', [InvitationsController, 'show']).as('invitation.show')
    router.post('/invitations/:token', [InvitationsController, 'accept']).as('invitation.accept')
  })
  .as('access')
  .use(middleware.authorize({ public: true }))

router
  .group(() => {
    router.get('/account/security', [AccountSecurityController, 'show']).as('account.security')
    router
      .post('/account/security/password', [AccountSecurityController, 'password'])
      .as('account.password')
    router
      .post('/account/security/recovery-codes', [AccountSecurityController, 'regenerateCodes'])
      .as('account.recovery_codes')
    router
      .post('/account/security/mfa/disable', [AccountSecurityController, 'disable'])
      .as('account.mfa_disable')
  })
  .as('access')
  .use(middleware.authorize({ permission: 'account:manage' }))

router
  .group(() => {
    router.get('/tokens', [ApiTokensController, 'index']).as('tokens.index')
    router.post('/tokens', [ApiTokensController, 'store']).as('tokens.store')
    router.post('/tokens/:id/revoke', [ApiTokensController, 'revoke']).as('tokens.revoke')
  })
  .as('access')
  .use(middleware.authorize({ permission: 'tokens:manage' }))
