import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import Merchant from '#merchants/models/merchant'
import apiTokens, { TOKEN_LIST_STATUSES, grantableScopes } from '#access/services/api_tokens'
import { resolvePrincipal } from '#access/services/principal_resolver'
import { createApiTokenValidator, listApiTokensValidator } from '#access/validators/api_token'
import { Forbidden } from '#core/errors'
import { pageOf } from '#core/pagination'

/** A merchant user's own merchant; tokens are never managed across tenants. */
async function merchantOf(ctx: HttpContext) {
  const principal = await resolvePrincipal(ctx)
  if (principal?.kind !== 'user' || !principal.merchantId) {
    throw new Forbidden('API tokens are managed by a signed-in merchant administrator.')
  }
  return { principal, merchant: await Merchant.findOrFail(principal.merchantId) }
}

/** The merchant portal's token page: list, create (shown once), revoke. */
export default class ApiTokensController {
  async index(ctx: HttpContext) {
    return this.renderIndex(ctx)
  }

  async store(ctx: HttpContext) {
    const { principal, merchant } = await merchantOf(ctx)
    const payload = await ctx.request.validateUsing(createApiTokenValidator)
    const { token, plaintext } = await apiTokens.create({
      merchant,
      name: payload.name,
      scopes: payload.scopes,
      expiresAt: DateTime.now().plus({ days: payload.expiresInDays }),
      createdBy: principal.userId,
      actor: { type: 'user', id: principal.userId },
    })
    // Rendered, not flashed: the secret never rests in the session store
    ctx.response.status(201).header('cache-control', 'no-store')
    return this.renderIndex(ctx, { token, plaintext })
  }

  async revoke(ctx: HttpContext) {
    const { principal, merchant } = await merchantOf(ctx)
    const token = await apiTokens.revoke(merchant.id, Number(ctx.params.id), {
      type: 'user',
      id: principal.userId,
    })
    ctx.session.flash('success', ctx.i18n.t('access.flash.token_revoked', { name: token.name }))
    return ctx.response.redirect().toRoute('access.tokens.index')
  }

  private async renderIndex(ctx: HttpContext, created?: { token: unknown; plaintext: string }) {
    const { merchant } = await merchantOf(ctx)
    const filters = await listApiTokensValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filters)
    const tokens = await apiTokens.listFor(merchant.id, filters.status).paginate(page, perPage)
    tokens.baseUrl(ctx.request.url()).queryString(filters.status ? { status: filters.status } : {})
    return ctx.view.render('pages/access/api_tokens', {
      merchant,
      tokens,
      created,
      scopes: grantableScopes(),
      status: filters.status ?? '',
      statuses: TOKEN_LIST_STATUSES,
    })
  }
}
