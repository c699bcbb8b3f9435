import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
// Registers the `kms` check of GET /health
import '#keys/kms/health'

const KeyInventoryController = () => import('#keys/controllers/key_inventory_controller')

router
  .group(() => {
    router
      .get('/', [KeyInventoryController, 'index'])
      .as('index')
      .use(middleware.authorize({ permission: 'keys:read' }))
    router
      .post('/rotations', [KeyInventoryController, 'rotate'])
      .as('rotations.store')
      .use(middleware.authorize({ permission: 'keys:rotate' }))
    router
      .get('/rotations/:id', [KeyInventoryController, 'rotation'])
      .as('rotations.show')
      .use(middleware.authorize({ permission: 'keys:read' }))
  })
  .prefix('/keys')
  .as('keys')
