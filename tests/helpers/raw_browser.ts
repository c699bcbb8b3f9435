import env from '#start/env'

/**
 * A browser reduced to what matters for session security: a cookie jar, real HTTP against the
 * running server, and the CSRF token each form carries. Unlike the api-client's session
 * helpers it replays the exact cookie, so a copied cookie can be tested after a logout.
 */
export class RawBrowser {
  cookies = new Map<string, string>()

  constructor(
    readonly baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`,
    private headers: Record<string, string> = {}
  ) {}

  /** Another browser holding the same cookies: the copied-cookie attacker. */
  copy(headers: Record<string, string> = this.headers) {
    const other = new RawBrowser(this.baseUrl, headers)
    other.cookies = new Map(this.cookies)
    return other
  }

  get(path: string) {
    return this.send('GET', path)
  }

  /** Opens `formPage` for its CSRF token, then submits `form` to `path` like the page would. */
  async submit(formPage: string, path: string, form: Record<string, string> = {}) {
    const page = await this.get(formPage)
    const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(await page.text())?.[1]
    if (!token) throw new Error(`${formPage} has no CSRF token (status ${page.status})`)
    return this.send('POST', path, new URLSearchParams({ _csrf: token, ...form }))
  }

  async send(method: string, path: string, body?: URLSearchParams | string, type?: string) {
    const headers: Record<string, string> = { ...this.headers, accept: 'text/html' }
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    }
    if (body) headers['content-type'] = type ?? 'application/x-www-form-urlencoded'
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body?.toString(),
      redirect: 'manual',
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
    return response
  }
}
