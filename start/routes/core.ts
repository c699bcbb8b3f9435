import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const HealthController = () => import('#core/controllers/health_controller')

router
  .get('/health', [HealthController, 'show'])
  .as('health')
  .use(middleware.authorize({ public: true }))
