/*
 * `client.get(url).actingAs(user)`: the request carries a session that is fully signed in,
 * MFA included, without walking through the login pages.
 */
import { ApiRequest } from '@japa/api-client'
import type User from '#access/models/user'
import { MFA_DONE_KEY } from '#access/services/principal_resolver'

declare module '@japa/api-client' {
  interface ApiRequest {
    actingAs(user: User): this
  }
}

ApiRequest.macro('actingAs', function (this: ApiRequest, user: User) {
  return this.withSession({ auth_web: user.id, [MFA_DONE_KEY]: user.id })
})
