/* Merchant termination: the merchant's request (API and portal) and staff's two-person approval. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const TerminationsController = () => import('#dsr/controllers/terminations_controller')

router
  .post('/api/v1/termination', [TerminationsController, 'apiStore'])
  .as('api.termination.store')
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .get('/api/v1/termination', [TerminationsController, 'apiShow'])
  .as('api.termination.show')
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .get('/api/v1/terminations/:id/export', [TerminationsController, 'apiExport'])
  .as('api.terminations.export')
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .post('/api/v1/terminations/:id/prepare', [TerminationsController, 'apiPrepare'])
  .as('api.terminations.prepare')
  .use(middleware.authorize({ permission: 'termination:manage' }))
router
  .post('/api/v1/terminations/:id/approve', [TerminationsController, 'apiApprove'])
  .as('api.terminations.approve')
  .use(middleware.authorize({ permission: 'termination:manage' }))

router
  .get('/portal/termination', [TerminationsController, 'show'])
  .as('portal.termination')
  .use(middleware.authorize({ permission: 'termination:request' }))
router
  .post('/portal/termination', [TerminationsController, 'store'])
  .as('portal.termination.store')
  .use(middleware.authorize({ permission: 'termination:request' }))

// Staff console: the list, a request's page, and the two-person approval as forms
router
  .group(() => {
    router.get('/', [TerminationsController, 'index']).as('index')
    router.get('/:id', [TerminationsController, 'staffShow']).as('show')
    router.post('/:id/prepare', [TerminationsController, 'prepare']).as('prepare')
    router.post('/:id/approve', [TerminationsController, 'approve']).as('approve')
  })
  .prefix('/dsr/terminations')
  .as('dsr.terminations')
  .use(middleware.authorize({ permission: 'termination:manage' }))
