/*
 * The route table. Each module keeps its routes in start/routes/<module>.ts; every route names
 * the permission it needs through `middleware.authorize()` (tests/functional/access/route_table.spec.ts
 * fails for any route that does not).
 *
 * Every `:id` names a row by its serial key: out of the integer range it is a 404, never a
 * query error (#core/route_params). A route must not override it with a looser matcher.
 */
import router from '@adonisjs/core/services/router'
import { serialId } from '#core/route_params'
import './routes/core.js'
import './routes/audit.js'
import './routes/identity.js'
import './routes/reports.js'
import './routes/access.js'
import './routes/vendors.js'
import './routes/data_map.js'
import './routes/keys.js'
import './routes/i18n.js'
import './routes/merchants.js'
import './routes/api_reference.js'
import './routes/conversation_pages.js'
import './routes/government_requests.js'
import './routes/dsr.js'
import './routes/termination.js'

router.where('id', serialId)
