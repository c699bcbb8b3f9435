import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const AuditController = () => import('#audit/controllers/audit_controller')

router
  .group(() => {
    router.get('/audit/verify', [AuditController, 'verify']).as('verify')
  })
  .prefix('/api/v1')
  .as('api.audit')
  .use(middleware.authorize({ permission: 'audit:verify' }))
