import type { ApiClient, ApiResponse } from '@japa/api-client'
import type { SessionData } from '@adonisjs/session/types'

/**
 * Walks the console like a browser over several requests: the session a response leaves
 * behind is carried into the next request, and every POST carries a valid CSRF token and, as
 * its Referer, the last page shown (where a refused form goes back to).
 */
export class ConsoleSession {
  values: SessionData = {}
  private page: string | undefined

  constructor(private client: ApiClient) {}

  get(url: string) {
    return this.send('GET', url)
  }

  post(url: string, form: Record<string, unknown> = {}) {
    return this.send('POST', url, form)
  }

  private async send(method: 'GET' | 'POST', url: string, form?: Record<string, unknown>) {
    let request = this.client.request(url, method).redirects(0).withSession(this.values)
    if (method === 'POST') {
      request = request.withCsrfToken().form(form ?? {})
      if (this.page) request = request.header('referer', this.page)
    }
    const response: ApiResponse = await request
    this.values = response.session()
    if (method === 'GET' && response.status() === 200) this.page = url
    return response
  }
}
