import type { HttpContext } from '@adonisjs/core/http'
import Merchant from '#merchants/models/merchant'
import { PLATFORM_DOMAIN, rolesForUser } from '#access/services/authorization'
import { principalOf } from '#access/principal'
import { scopedQuery } from '#access/services/tenant_scope'
import userAdmin from '#access/services/user_admin'
import {
  createUserValidator,
  roleChangeValidator,
  userListValidator,
} from '#access/validators/user'
import { MERCHANT_ROLES, STAFF_ROLES } from '#access/roles'
import { isApiRequest } from '#core/api_error'
import { INVITATION_TTL_HOURS } from '#access/services/invitations'

function invitedMessage({ i18n }: HttpContext, email: string) {
  return i18n.t('access.flash.invited', { email, hours: INVITATION_TTL_HOURS })
}

/** A role's name in the reader's language; English keeps the role's code, as the forms show it. */
function roleName({ i18n }: HttpContext, role: string) {
  return i18n.t(`common.label.${role}`, {}, role)
}

/** Console user administration (staff admins: everyone; merchant admins: their merchant). */
export default class UsersController {
  async index(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const filters = await userListValidator.validate(ctx.request.qs())
    const { users, roles } = await userAdmin.list(principal, filters)
    users.baseUrl(ctx.request.url())
    users.queryString({ ...filters, page: undefined })
    return ctx.view.render('pages/access/users/index', {
      users,
      roles,
      filters,
      merchants: await this.merchantChoices(ctx),
      roleChoices:
        principal.domain === PLATFORM_DOMAIN ? [...STAFF_ROLES, ...MERCHANT_ROLES] : MERCHANT_ROLES,
      staffReach: principal.domain === PLATFORM_DOMAIN,
    })
  }

  async create(ctx: HttpContext) {
    const principal = principalOf(ctx)
    return ctx.view.render('pages/access/users/create', {
      merchants: await this.merchantChoices(ctx),
      staffRoles: principal.domain === PLATFORM_DOMAIN ? STAFF_ROLES : [],
      merchantRoles: MERCHANT_ROLES,
      staffReach: principal.domain === PLATFORM_DOMAIN,
    })
  }

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(createUserValidator)
    // The same answer whether or not the address is registered under another tenant
    await userAdmin.create(principalOf(ctx), payload)
    if (isApiRequest(ctx)) return ctx.response.accepted({ status: 'invited' })
    ctx.session.flash('success', invitedMessage(ctx, payload.email))
    return ctx.response.redirect().toRoute('access.users.index')
  }

  async reinvite(ctx: HttpContext) {
    const user = await userAdmin.reinvite(principalOf(ctx), Number(ctx.params.id))
    ctx.session.flash('success', invitedMessage(ctx, user.email))
    return ctx.response.redirect().toRoute('access.users.show', { id: user.id })
  }

  async show(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const user = await userAdmin.view(principal, Number(ctx.params.id))
    const rolesByUser = await userAdmin.rolesByUser([user])
    const roles = rolesByUser.get(user.id) ?? []
    return ctx.view.render('pages/access/users/show', {
      user,
      roles,
      assignable: rolesForUser(user).filter((role) => !roles.includes(role)),
      isSelf: principal.kind === 'user' && principal.userId === user.id,
    })
  }

  async assignRole(ctx: HttpContext) {
    const { role } = await ctx.request.validateUsing(roleChangeValidator)
    const id = Number(ctx.params.id)
    await userAdmin.changeRole(principalOf(ctx), id, role, true)
    ctx.session.flash(
      'success',
      ctx.i18n.t('access.flash.role_assigned', { role: roleName(ctx, role) })
    )
    return ctx.response.redirect().toRoute('access.users.show', { id })
  }

  async revokeRole(ctx: HttpContext) {
    const id = Number(ctx.params.id)
    const role = String(ctx.params.role)
    await userAdmin.changeRole(principalOf(ctx), id, role, false)
    ctx.session.flash(
      'success',
      ctx.i18n.t('access.flash.role_revoked', { role: roleName(ctx, role) })
    )
    return ctx.response.redirect().toRoute('access.users.show', { id })
  }

  async disable(ctx: HttpContext) {
    const user = await userAdmin.setDisabled(principalOf(ctx), Number(ctx.params.id), true)
    ctx.session.flash('success', ctx.i18n.t('access.flash.user_disabled', { name: user.fullName }))
    return ctx.response.redirect().toRoute('access.users.show', { id: user.id })
  }

  async enable(ctx: HttpContext) {
    const user = await userAdmin.setDisabled(principalOf(ctx), Number(ctx.params.id), false)
    ctx.session.flash('success', ctx.i18n.t('access.flash.user_enabled', { name: user.fullName }))
    return ctx.response.redirect().toRoute('access.users.show', { id: user.id })
  }

  /** Merchants the principal may pick from (staff: all; merchant admins: their own). */
  private merchantChoices(ctx: HttpContext) {
    return scopedQuery(principalOf(ctx), Merchant, { column: 'id' }).orderBy('legal_name')
  }
}
