import type { HttpContext } from '@adonisjs/core/http'
import { openApiDocument } from '#start/openapi'

export default class ApiReferenceController {
  async document({ response }: HttpContext) {
    response.header('cache-control', 'public, max-age=300')
    return response.json(openApiDocument)
  }

  /** The readable reference: swagger-ui from node_modules, started by a script under the CSP nonce. */
  async show({ view }: HttpContext) {
    return view.render('pages/api_reference/show')
  }
}
