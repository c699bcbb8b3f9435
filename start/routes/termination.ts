/* Merchant termination: the merchant's request (API and portal) and staff's two-person approval. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const TerminationsController = () => import('#dsr/controllers/terminations_controller')

router
  .post('/api/v1/termination', [TerminationsController, 'apiStore'])
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .get('/api/v1/termination', [TerminationsController, 'apiShow'])
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .get('/api/v1/termination/export', [TerminationsController, 'apiExport'])
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .post('/api/v1/terminations/:id/prepare', [TerminationsController, 'apiPrepare'])
  .use(middleware.authorize({ permission: 'termination:manage' }))
router
  .post('/api/v1/terminations/:id/approve', [TerminationsController, 'apiApprove'])
  .use(middleware.authorize({ permission: 'termination:manage' }))

router
  .get('/portal/termination', [TerminationsController, 'show'])
  .as('portal.termination')
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .post('/portal/termination', [TerminationsController, 'store'])
  .as('portal.termination.store')
  .use(middleware.authorize({ permission: 'termination:request' }))
