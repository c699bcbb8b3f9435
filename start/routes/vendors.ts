/*
 * Vendors: the public subprocessor list and feed, the merchant API and portal for notices and
 * objections, and the console registers (subprocessors, notices, objections, SCCs, TIAs).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const PublicController = () => import('#vendors/controllers/public_subprocessors_controller')
const SubprocessorsController = () => import('#vendors/controllers/subprocessors_controller')
const ObjectionsController = () => import('#vendors/controllers/objections_controller')
const PortalController = () => import('#vendors/controllers/portal_subprocessors_controller')
const SccController = () => import('#vendors/controllers/scc_agreements_controller')
const TiasController = () => import('#vendors/controllers/tias_controller')

const can = (permission: string) => middleware.authorize({ permission })

// Public transparency: no sign-in needed
router
  .group(() => {
    router.get('/subprocessors', [PublicController, 'index']).as('vendors.public.index')
    router.get('/subprocessors/feed.atom', [PublicController, 'feed']).as('vendors.public.feed')
    router
      .get('/api/v1/subprocessors', [PublicController, 'apiIndex'])
      .as('api.vendors.subprocessors.index')
    router
      .get('/api/v1/subprocessors/:id', [PublicController, 'apiShow'])
      .as('api.vendors.subprocessors.show')
  })
  .use(middleware.authorize({ public: true }))

// Merchant API (bearer token or session)
router
  .group(() => {
    router
      .post('/subprocessors/:id/objections', [ObjectionsController, 'apiStore'])
      .as('objections.store')
      .use(can('objections:create'))
    router
      .get('/objections', [ObjectionsController, 'apiIndex'])
      .as('objections.index')
      .use(can('notices:read'))
    router
      .get('/objections/:id', [ObjectionsController, 'apiShow'])
      .as('objections.show')
      .use(can('notices:read'))
    router
      .get('/subprocessor-notices', [PortalController, 'apiIndex'])
      .as('notices.index')
      .use(can('notices:read'))
  })
  .prefix('/api/v1')
  .as('api.vendors')

// Merchant portal
router
  .get('/portal/subprocessors', [PortalController, 'index'])
  .as('portal.subprocessors.index')
  .use(can('notices:read'))
router
  .post('/portal/subprocessors/:id/objections', [ObjectionsController, 'portalStore'])
  .as('portal.subprocessors.object')
  .use(can('objections:create'))

// Console
router
  .group(() => {
    router
      .get('/subprocessors', [SubprocessorsController, 'index'])
      .as('subprocessors.index')
      .use(can('vendors:read'))
    router
      .get('/subprocessors/new', [SubprocessorsController, 'create'])
      .as('subprocessors.create')
      .use(can('vendors:write'))
    router
      .post('/subprocessors', [SubprocessorsController, 'store'])
      .as('subprocessors.store')
      .use(can('vendors:write'))
    router
      .get('/subprocessors/:id', [SubprocessorsController, 'show'])
      .as('subprocessors.show')
      .use(can('vendors:read'))
    router
      .get('/subprocessors/:id/edit', [SubprocessorsController, 'edit'])
      .as('subprocessors.edit')
      .use(can('vendors:write'))
    router
      .post('/subprocessors/:id', [SubprocessorsController, 'update'])
      .as('subprocessors.update')
      .use(can('vendors:write'))
    router
      .post('/subprocessors/:id/transition', [SubprocessorsController, 'transition'])
      .as('subprocessors.transition')
      .use(can('vendors:write'))
    router
      .post('/subprocessors/:id/change-notice', [SubprocessorsController, 'publishChange'])
      .as('subprocessors.publish_change')
      .use(can('vendors:write'))
    router
      .get('/notices', [SubprocessorsController, 'notices'])
      .as('notices.index')
      .use(can('vendors:read'))
    router
      .get('/notices/:id', [SubprocessorsController, 'notice'])
      .as('notices.show')
      .use(can('vendors:read'))
    router
      .post('/notices/:id/emails', [SubprocessorsController, 'resendEmails'])
      .as('notices.resend_emails')
      .use(can('vendors:write'))

    router
      .get('/objections', [ObjectionsController, 'index'])
      .as('objections.index')
      .use(can('vendors:read'))
    router
      .post('/objections/:id/resolve', [ObjectionsController, 'resolve'])
      .as('objections.resolve')
      .use(can('objections:resolve'))

    router.get('/scc', [SccController, 'index']).as('scc.index').use(can('scc:read'))
    router.get('/scc/new', [SccController, 'create']).as('scc.create').use(can('scc:write'))
    router.post('/scc', [SccController, 'store']).as('scc.store').use(can('scc:write'))
    router.get('/scc/:id', [SccController, 'show']).as('scc.show').use(can('scc:read'))
    router
      .post('/scc/:id/parties', [SccController, 'addParty'])
      .as('scc.parties.store')
      .use(can('scc:write'))
    router
      .post('/scc/:id/accessions', [SccController, 'accede'])
      .as('scc.accessions.store')
      .use(can('scc:write'))

    router.get('/tias', [TiasController, 'index']).as('tias.index').use(can('tia:read'))
    router.get('/tias/new', [TiasController, 'create']).as('tias.create').use(can('tia:write'))
    router.post('/tias', [TiasController, 'store']).as('tias.store').use(can('tia:write'))
    router.get('/tias/:id', [TiasController, 'show']).as('tias.show').use(can('tia:read'))
    router.get('/tias/:id/edit', [TiasController, 'edit']).as('tias.edit').use(can('tia:write'))
    router.post('/tias/:id', [TiasController, 'update']).as('tias.update').use(can('tia:write'))
    router
      .post('/tias/:id/approve', [TiasController, 'approve'])
      .as('tias.approve')
      .use(can('tia:write'))
  })
  .prefix('/vendors')
  .as('vendors')
