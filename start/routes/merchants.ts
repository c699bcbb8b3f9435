/* Merchants: the portal page where a merchant keeps its controller details (Art. 30(2)(a)). */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ControllerDetailsController = () =>
  import('#merchants/controllers/controller_details_controller')

router
  .get('/portal/controller-details', [ControllerDetailsController, 'edit'])
  .as('portal.merchant.details')
  .use(middleware.authorize({ permission: 'controller_details:read' }))
router
  .post('/portal/controller-details', [ControllerDetailsController, 'update'])
  .as('portal.merchant.details.update')
  .use(middleware.authorize({ permission: 'merchant:profile' }))
