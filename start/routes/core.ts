import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const HealthController = () => import('#core/controllers/health_controller')

router
  .get('/health', [HealthController, 'show'])
  .as('health')
  .use(middleware.authorize({ public: true }))
router
  .get('/health/details', [HealthController, 'details'])
  .as('health.details')
  .use(middleware.authorize({ permission: 'health:read' }))

const VendorAssetsController = () => import('#core/controllers/vendor_assets_controller')

router
  .get('/vendor/:file', [VendorAssetsController, 'show'])
  .as('vendor.asset')
  .use(middleware.authorize({ public: true }))
