import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ApiReferenceController = () => import('#api_reference/controllers/api_reference_controller')

// The API's description is public, like the API's own error shape
router
  .get('/api/v1/openapi.json', [ApiReferenceController, 'document'])
  .as('api.reference.document')
  .use(middleware.authorize({ public: true }))
router
  .get('/api-reference', [ApiReferenceController, 'show'])
  .as('api.reference')
  .use(middleware.authorize({ public: true }))
