/*
 * Government and public-authority requests: the legal team's console and API, the merchant
 * portal's notices, and the public transparency report.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const RequestsController = () =>
  import('#government_requests/controllers/government_requests_controller')
const ApiController = () =>
  import('#government_requests/controllers/government_requests_api_controller')
const TransparencyController = () =>
  import('#government_requests/controllers/transparency_controller')
const PortalController = () =>
  import('#government_requests/controllers/portal_government_requests_controller')

const can = (permission: string) => middleware.authorize({ permission })

// Public: the latest published transparency report
router
  .group(() => {
    router.get('/transparency', [TransparencyController, 'public']).as('transparency.public')
    router
      .get('/transparency.json', [TransparencyController, 'publicJson'])
      .as('transparency.public_json')
    router
      .get('/transparency.csv', [TransparencyController, 'publicCsv'])
      .as('transparency.public_csv')
  })
  .use(middleware.authorize({ public: true }))

// Merchant portal: the requests the merchant was told of
router
  .get('/portal/government-requests', [PortalController, 'index'])
  .as('portal.government_requests.index')
  .use(can('notices:read'))

// API (staff session with CSRF)
router
  .group(() => {
    router
      .get('/government-requests/:id', [ApiController, 'show'])
      .as('show')
      .use(can('government_requests:read'))
    router
      .post('/government-requests/:id/disclosures', [ApiController, 'disclose'])
      .as('disclose')
      .use(can('government_requests:disclose'))
  })
  .prefix('/api/v1')
  .as('api.government_requests')

// Console
router
  .group(() => {
    router.get('/', [RequestsController, 'index']).as('index').use(can('government_requests:read'))
    router
      .get('/new', [RequestsController, 'create'])
      .as('create')
      .use(can('government_requests:write'))
    router
      .post('/', [RequestsController, 'store'])
      .as('store')
      .use(can('government_requests:write'))
    router
      .get('/transparency', [TransparencyController, 'preview'])
      .as('transparency.preview')
      .use(can('transparency:read'))
    router
      .post('/transparency', [TransparencyController, 'publish'])
      .as('transparency.publish')
      .use(can('transparency:publish'))
    router.get('/:id', [RequestsController, 'show']).as('show').use(can('government_requests:read'))
    router
      .post('/:id/instrument', [RequestsController, 'instrument'])
      .as('instrument')
      .use(can('government_requests:write'))
    router
      .post('/:id/instrument/download', [RequestsController, 'document'])
      .as('document')
      .use(can('government_requests:read'))
    router
      .post('/:id/assessment', [RequestsController, 'assess'])
      .as('assess')
      .use(can('government_requests:write'))
    router
      .post('/:id/decisions', [RequestsController, 'propose'])
      .as('propose')
      .use(can('government_requests:write'))
    router
      .post('/decisions/:id/approve', [RequestsController, 'approve'])
      .as('approve')
      .use(can('government_requests:approve'))
    router
      .post('/decisions/:id/challenge-result', [RequestsController, 'challengeResult'])
      .as('challenge_result')
      .use(can('government_requests:write'))
    router
      .post('/:id/disclosures', [RequestsController, 'disclose'])
      .as('disclose')
      .use(can('government_requests:disclose'))
    router
      .get('/disclosures/:id/package', [RequestsController, 'package'])
      .as('package')
      .use(can('government_requests:disclose'))
    router
      .post('/disclosures/:id/key', [RequestsController, 'revealKey'])
      .as('reveal_key')
      .use(can('government_requests:disclose'))
  })
  .prefix('/government-requests')
  .as('government_requests')
