/*
 * Data-subject requests: the merchant API and portal (intake, cases, callbacks) and the staff
 * console (cases, legal holds).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ApiController = () => import('#dsr/controllers/api_dsr_controller')

const can = (permission: string) => middleware.authorize({ permission })

// Merchant API (bearer token or merchant session)
router
  .group(() => {
    router.post('/dsr', [ApiController, 'store']).as('store').use(can('dsr:submit'))
    router.get('/dsr', [ApiController, 'index']).as('index').use(can('dsr:view'))
    router.get('/dsr/:id', [ApiController, 'show']).as('show').use(can('dsr:view'))
    router.get('/dsr/:id/report.pdf', [ApiController, 'report']).as('report').use(can('dsr:view'))
    router.get('/dsr/:id/export', [ApiController, 'export']).as('export').use(can('dsr:view'))
    router.post('/dsr/:id/extension', [ApiController, 'extend']).as('extend').use(can('dsr:submit'))
    router
      .post('/dsr/:id/instruction', [ApiController, 'instruct'])
      .as('instruct')
      .use(can('dsr:submit'))
  })
  .prefix('/api/v1')
  .as('api.dsr')

const PortalController = () => import('#dsr/controllers/portal_dsr_controller')
const CasesController = () => import('#dsr/controllers/dsr_cases_controller')
const HoldsController = () => import('#dsr/controllers/legal_holds_controller')

// Merchant portal
router
  .group(() => {
    router.get('/dsr', [PortalController, 'index']).as('index').use(can('dsr:view'))
    router.get('/dsr/new', [PortalController, 'create']).as('create').use(can('dsr:submit'))
    router.post('/dsr', [PortalController, 'store']).as('store').use(can('dsr:submit'))
    router.get('/dsr/:id', [PortalController, 'show']).as('show').use(can('dsr:view'))
    router
      .post('/dsr/:id/instruct', [PortalController, 'instruct'])
      .as('instruct')
      .use(can('dsr:submit'))
    router
      .post('/dsr/:id/decline', [PortalController, 'decline'])
      .as('decline')
      .use(can('dsr:submit'))
    router
      .get('/dsr-callbacks', [PortalController, 'callbacks'])
      .as('callbacks')
      .use(can('dsr_callbacks:manage'))
    router
      .post('/dsr-callbacks', [PortalController, 'saveCallback'])
      .as('callbacks.save')
      .use(can('dsr_callbacks:manage'))
    router
      .post('/dsr-callbacks/remove', [PortalController, 'removeCallback'])
      .as('callbacks.remove')
      .use(can('dsr_callbacks:manage'))
  })
  .prefix('/portal')
  .as('portal.dsr')

// Staff console: cases
router
  .group(() => {
    router.get('/cases', [CasesController, 'index']).as('cases.index').use(can('dsr:read'))
    router.get('/cases/new', [CasesController, 'create']).as('cases.create').use(can('dsr:manage'))
    router.post('/cases', [CasesController, 'store']).as('cases.store').use(can('dsr:manage'))
    router.get('/cases/:id', [CasesController, 'show']).as('cases.show').use(can('dsr:read'))
    for (const action of [
      'assign',
      'comment',
      'extend',
      'refuse',
      'cancel',
      'complete',
      'proceed',
    ] as const) {
      router
        .post(`/cases/:id/${action}`, [CasesController, action])
        .as(`cases.${action}`)
        .use(can('dsr:manage'))
    }
    router
      .post('/cases/:id/tasks', [CasesController, 'addTask'])
      .as('cases.tasks.store')
      .use(can('dsr:manage'))
    router
      .post('/tasks/:id/done', [CasesController, 'completeTask'])
      .as('tasks.done')
      .use(can('dsr:manage'))

    // Legal holds
    router
      .get('/legal-holds', [HoldsController, 'index'])
      .as('holds.index')
      .use(can('legal_holds:read'))
    router
      .post('/legal-holds', [HoldsController, 'store'])
      .as('holds.store')
      .use(can('legal_holds:manage'))
    router
      .post('/legal-holds/:id/request-lift', [HoldsController, 'requestLift'])
      .as('holds.request_lift')
      .use(can('legal_holds:manage'))
    router
      .post('/legal-holds/:id/lift', [HoldsController, 'lift'])
      .as('holds.lift')
      .use(can('legal_holds:manage'))
  })
  .prefix('/dsr')
  .as('dsr')
