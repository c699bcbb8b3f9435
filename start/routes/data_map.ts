import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const DataMapController = () => import('#data_map/controllers/data_map_controller')
const CategoriesController = () => import('#data_map/controllers/categories_controller')
const SubjectsController = () => import('#data_map/controllers/subjects_controller')
const PurposesController = () => import('#data_map/controllers/purposes_controller')
const SystemsController = () => import('#data_map/controllers/systems_controller')
const ActivitiesController = () => import('#data_map/controllers/activities_controller')
const FlowsController = () => import('#data_map/controllers/flows_controller')
const RetentionController = () => import('#data_map/controllers/retention_controller')
const RopaController = () => import('#data_map/controllers/ropa_controller')
const MerchantRetentionController = () =>
  import('#data_map/controllers/merchant_retention_controller')

const read = () => middleware.authorize({ permission: 'datamap:read' })
const write = () => middleware.authorize({ permission: 'datamap:write' })

/** index/show for readers; new/edit forms and their POSTs for writers. */
function editable(
  path: string,
  controller: () => Promise<{ default: any }>,
  options: { show?: boolean } = {}
) {
  router.get(path, [controller, 'index']).as(`${path}.index`).use(read())
  router.get(`${path}/new`, [controller, 'create']).as(`${path}.create`).use(write())
  router.post(path, [controller, 'store']).as(`${path}.store`).use(write())
  if (options.show) {
    router.get(`${path}/:id`, [controller, 'show']).as(`${path}.show`).use(read())
  }
  router.get(`${path}/:id/edit`, [controller, 'edit']).as(`${path}.edit`).use(write())
  router.post(`${path}/:id`, [controller, 'update']).as(`${path}.update`).use(write())
}

router
  .group(() => {
    router.get('/', [DataMapController, 'overview']).as('overview').use(read())
    router.get('/graph', [DataMapController, 'graph']).as('graph').use(read())
    router.get('/graph.json', [DataMapController, 'graphData']).as('graph.data').use(read())
    router.get('/inventory', [DataMapController, 'inventory']).as('inventory').use(read())

    editable('categories', CategoriesController, { show: true })
    editable('subjects', SubjectsController)
    editable('purposes', PurposesController)
    editable('systems', SystemsController, { show: true })
    editable('activities', ActivitiesController, { show: true })
    editable('flows', FlowsController)
    router.post('/flows/:id/delete', [FlowsController, 'destroy']).as('flows.destroy').use(write())

    router.get('/retention', [RetentionController, 'index']).as('retention.index').use(read())
    router
      .get('/retention/rules/:id/edit', [RetentionController, 'editRule'])
      .as('retention.rules.edit')
      .use(write())
    router
      .post('/retention/rules/:id', [RetentionController, 'updateRule'])
      .as('retention.rules.update')
      .use(write())
    router
      .post('/retention/overrides', [RetentionController, 'storeOverride'])
      .as('retention.overrides.store')
      .use(write())
    router
      .post('/retention/runs', [RetentionController, 'runNow'])
      .as('retention.runs.store')
      .use(write())
    router
      .get('/retention/runs/:id', [RetentionController, 'showRun'])
      .as('retention.runs.show')
      .use(read())
    router
      .get('/retention/jobs/:id', [RetentionController, 'job'])
      .as('retention.jobs.show')
      .use(write())
  })
  .prefix('/data-map')
  .as('data_map')

router
  .get('/ropa', [RopaController, 'show'])
  .as('data_map.ropa.show')
  .use(middleware.authorize({ permission: 'ropa:read' }))

router
  .group(() => {
    router.get('/ropa', [RopaController, 'json']).as('json')
    router.get('/ropa.csv', [RopaController, 'csv']).as('csv')
    // Generates and stores a signed report: a POST, never a side effect of a GET
    router.post('/ropa.pdf', [RopaController, 'pdf']).as('pdf')
  })
  .prefix('/api/v1')
  .as('api.ropa')
  .use(middleware.authorize({ permission: 'ropa:read' }))

router
  .group(() => {
    router.get('/retention', [MerchantRetentionController, 'index']).as('index')
    router
      .put('/retention/overrides/:category', [MerchantRetentionController, 'upsert'])
      .as('overrides.upsert')
    router
      .delete('/retention/overrides/:category', [MerchantRetentionController, 'destroy'])
      .as('overrides.destroy')
  })
  .prefix('/api/v1')
  .as('api.retention')
  .use(middleware.authorize({ permission: 'retention:manage' }))
