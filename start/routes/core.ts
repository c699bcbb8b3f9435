import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const HealthController = () => import('#core/controllers/health_controller')

router
  .get('/health', [HealthController, 'show'])
  .as('health')
  .use(middleware.authorize({ public: true }))

const VendorAssetsController = () => import('#core/controllers/vendor_assets_controller')

router
  .get('/vendor/:file', [VendorAssetsController, 'show'])
  .as('vendor.asset')
  .use(middleware.authorize({ public: true }))
