/*
 * The console shell (dashboard), user and role administration, and the merchant "who am I" API.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const DashboardController = () => import('#access/controllers/dashboard_controller')
const UsersController = () => import('#access/controllers/users_controller')
const RolesController = () => import('#access/controllers/roles_controller')
const MerchantApiController = () => import('#access/controllers/merchant_api_controller')

router
  .get('/', [DashboardController, 'show'])
  .as('dashboard')
  .use(middleware.authorize({ permission: 'dashboard:view' }))

router
  .group(() => {
    router.get('/users', [UsersController, 'index']).as('index')
    router.get('/users/new', [UsersController, 'create']).as('create')
    router.post('/users', [UsersController, 'store']).as('store')
    router.get('/users/:id', [UsersController, 'show']).as('show')
    router.post('/users/:id/disable', [UsersController, 'disable']).as('disable')
    router.post('/users/:id/enable', [UsersController, 'enable']).as('enable')
    router.post('/users/:id/invitation', [UsersController, 'reinvite']).as('reinvite')
  })
  .as('access.users')
  .use(middleware.authorize({ permission: 'users:manage' }))

router
  .group(() => {
    router.get('/roles', [RolesController, 'index']).as('roles.index')
    router.post('/users/:id/roles', [UsersController, 'assignRole']).as('users.roles.assign')
    router
      .post('/users/:id/roles/:role/revoke', [UsersController, 'revokeRole'])
      .as('users.roles.revoke')
  })
  .as('access')
  .use(middleware.authorize({ permission: 'roles:manage' }))

router
  .group(() => {
    router.get('/merchant', [MerchantApiController, 'current']).as('current')
    router.get('/merchants/:id', [MerchantApiController, 'show']).as('show')
  })
  .prefix('/api/v1')
  .as('api.merchant')
  .use(middleware.authorize({ permission: 'merchant:read' }))
