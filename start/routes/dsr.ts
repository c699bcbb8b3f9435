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
    router.post('/dsr/:id/extension', [ApiController, 'extend']).as('extend').use(can('dsr:submit'))
    router
      .post('/dsr/:id/instruction', [ApiController, 'instruct'])
      .as('instruct')
      .use(can('dsr:submit'))
  })
  .prefix('/api/v1')
  .as('api.dsr')
