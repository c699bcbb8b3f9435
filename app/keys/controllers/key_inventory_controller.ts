import type { HttpContext } from '@adonisjs/core/http'
import keysConfig from '#config/keys'
import { principalOf } from '#access/principal'
import { can } from '#access/services/authorization'
import { currentActor } from '#audit/actor'
import keyRotation from '#keys/services/key_rotation'
import {
  keyInventoryPage,
  keyInventorySummary,
  rotationProgress,
} from '#keys/services/key_inventory'
import { keyInventoryFilterValidator, rotateScopeValidator } from '#keys/validators/key_inventory'
import KeyRotation from '#keys/models/key_rotation'

/** The DPO's and auditors' key inventory: scopes, versions, rotations and destructions, never material. */
export default class KeyInventoryController {
  async index(ctx: HttpContext) {
    const { request, view } = ctx
    const principal = principalOf(ctx)
    const filters = await request.validateUsing(keyInventoryFilterValidator, { data: request.qs() })
    const { paginator, rows } = await keyInventoryPage(filters)
    paginator.baseUrl(request.url())
    paginator.queryString({ ...request.qs(), page: undefined })
    return view.render('pages/keys/index', {
      paginator,
      rows,
      filters: request.qs(),
      summary: await keyInventorySummary(),
      provider: keysConfig.provider,
      canRotate: await can(principal, 'keys:rotate'),
      canExport: await can(principal, 'reports:generate'),
    })
  }

  /** The console's rotate button: the new version seals writes at once, the job does the rest. */
  async rotate({ request, response, session, i18n }: HttpContext) {
    const { scope } = await request.validateUsing(rotateScopeValidator)
    const merchantId = scope === 'platform' ? null : Number(scope.split(':')[1])
    const rotation = await keyRotation.start(merchantId, currentActor())
    session.flash(
      'success',
      i18n.t('keys.flash.rotation_started', { scope, version: rotation.toVersion })
    )
    return response.redirect().toRoute('keys.index')
  }

  /** Progress of one rotation, polled by the inventory page. */
  async rotation({ params, response }: HttpContext) {
    const rotation = await KeyRotation.findOrFail(params.id)
    return response.json(rotationProgress(rotation))
  }
}
