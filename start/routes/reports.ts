import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ReportsController = () => import('#reports/controllers/reports_controller')
const ReportVerificationController = () =>
  import('#reports/controllers/report_verification_controller')

router
  .group(() => {
    router
      .get('/', [ReportsController, 'index'])
      .as('index')
      .use(middleware.authorize({ permission: 'reports:read' }))
    router
      .post('/', [ReportsController, 'store'])
      .as('store')
      .use(middleware.authorize({ permission: 'reports:generate' }))
    router
      .get('/jobs/:id', [ReportsController, 'job'])
      .as('jobs.show')
      .use(middleware.authorize({ permission: 'reports:generate' }))
    router
      .get('/verify', [ReportVerificationController, 'show'])
      .as('verify.show')
      .use(middleware.authorize({ permission: 'reports:verify' }))
    router
      .post('/verify', [ReportVerificationController, 'verify'])
      .as('verify.check')
      .use(middleware.authorize({ permission: 'reports:verify' }))
    router
      .get('/signing-key', [ReportVerificationController, 'signingKey'])
      .as('signing_key')
      .use(middleware.authorize({ public: true }))
    router
      .get('/signing-keys', [ReportVerificationController, 'signingKeys'])
      .as('signing_keys')
      .use(middleware.authorize({ public: true }))
    router
      .get('/:documentId/download', [ReportsController, 'download'])
      .as('download')
      .where('documentId', router.matchers.uuid())
      .use(middleware.authorize({ permission: 'reports:read' }))
    router
      .get('/:documentId/manifest', [ReportVerificationController, 'manifest'])
      .as('manifest')
      .where('documentId', router.matchers.uuid())
      .use(middleware.authorize({ permission: 'reports:read' }))
  })
  .prefix('/reports')
  .as('reports')

router
  .post('/api/v1/reports/verify', [ReportVerificationController, 'verify'])
  .as('api.reports.verify')
  .use(middleware.authorize({ permission: 'reports:verify' }))
