/*
 * A loopback server speaking the Graph API's message-send shapes: WhatsApp
 * `POST /{version}/{phone-number-id}/messages` answering `{messaging_product, contacts, messages:
 * [{id: "wamid..."}]}`, Instagram `POST /{version}/{ig-id}/messages` answering `{recipient_id,
 * message_id}`, and Meta's `{"error": {message, type, code, error_data, fbtrace_id}}` on failure
 * (131047 re-engagement, throttling, 5xx). WhatsApp media retrieval too: `GET /{version}/{media-id}`
 * answers `{url, mime_type, sha256, file_size, id, messaging_product}` and `GET /media-files/{id}`
 * the bytes, both only with a known bearer token. The real client is pointed at it through
 * META_GRAPH_URL; tests script the answers and read the requests back.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface GraphRequest {
  method: string
  path: string
  authorization: string | undefined
  body: any
}

type Scripted =
  | { kind: 'ok' }
  | { kind: 'error'; status: number; code: number; message: string; details?: string }

export class FakeGraph {
  private server?: Server
  readonly requests: GraphRequest[] = []
  private script: Scripted[] = []
  /** Tokens the server accepts; any other answers 190 (invalid OAuth token). */
  readonly tokens = new Set<string>()

  /** Media objects by id: the bytes served, and optionally what Meta claims about them. */
  readonly media = new Map<string, { bytes: Buffer; mimeType: string; sha256?: string }>()

  /** Serves a media object; answers the hex SHA-256 a WhatsApp webhook carries for it. */
  addMedia(id: string, bytes: Buffer, mimeType = 'image/jpeg', sha256?: string) {
    this.media.set(id, { bytes, mimeType, sha256 })
    return createHash('sha256').update(bytes).digest('hex')
  }

  get baseUrl() {
    const { port } = this.server!.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  /** The next send fails with WhatsApp's 131047: more than 24 hours since the customer wrote. */
  reengagementRequired() {
    this.script.push({
      kind: 'error',
      status: 400,
      code: 131047,
      message: '(#131047) Re-engagement message',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    })
  }

  serverError(times = 1) {
    for (let i = 0; i < times; i++) {
      this.script.push({
        kind: 'error',
        status: 500,
        code: 1,
        message: 'An unknown error occurred',
      })
    }
  }

  succeed() {
    this.script.push({ kind: 'ok' })
  }

  async start() {
    this.server = createServer((request, response) => this.handle(request, response))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: any = null
    try {
      body = raw ? JSON.parse(raw) : null
    } catch {
      body = raw
    }
    const path = request.url ?? '/'
    this.requests.push({
      method: request.method ?? '',
      path,
      authorization: request.headers.authorization,
      body,
    })

    if (request.method === 'GET') return this.serveMedia(request, response, path)
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path)
    if (request.method !== 'POST' || !match) {
      return this.error(response, 400, 100, 'Unsupported post request.')
    }
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '')
    if (!this.tokens.has(token)) {
      return this.error(
        response,
        401,
        190,
        'Invalid OAuth access token - Cannot parse access token'
      )
    }
    const next = this.script.shift() ?? { kind: 'ok' }
    if (next.kind === 'error') {
      return this.error(response, next.status, next.code, next.message, next.details)
    }
    if (body?.messaging_product === 'whatsapp') {
      const to = body.to ?? body.recipient
      if (!to || body.type !== 'text' || typeof body.text?.body !== 'string') {
        return this.error(response, 400, 100, 'Invalid parameter')
      }
      return this.json(response, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.${randomUUID().replaceAll('-', '')}` }],
      })
    }
    if (!body?.recipient?.id || typeof body.message?.text !== 'string') {
      return this.error(response, 400, 100, 'Invalid parameter')
    }
    return this.json(response, 200, {
      recipient_id: body.recipient.id,
      message_id: `aWdfZAG1faXRlbToxOklH${randomUUID().replaceAll('-', '')}`,
    })
  }

  private serveMedia(request: IncomingMessage, response: ServerResponse, path: string) {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '')
    if (!this.tokens.has(token)) {
      return this.error(
        response,
        401,
        190,
        'Invalid OAuth access token - Cannot parse access token'
      )
    }
    const file = /^\/media-files\/([^/?]+)/.exec(path)
    if (file) {
      const media = this.media.get(decodeURIComponent(file[1]))
      if (!media) return this.error(response, 404, 100, 'Unsupported get request.')
      response.writeHead(200, { 'content-type': media.mimeType })
      return response.end(media.bytes)
    }
    const info = /^\/(v\d+\.\d+)\/([^/?]+)$/.exec(path)
    const media = info ? this.media.get(decodeURIComponent(info[2])) : undefined
    if (!info || !media) return this.error(response, 400, 100, 'Unsupported get request.')
    return this.json(response, 200, {
      messaging_product: 'whatsapp',
      url: `${this.baseUrl}/media-files/${info[2]}?ext=1&hash=${randomUUID().slice(0, 8)}`,
      mime_type: media.mimeType,
      sha256: media.sha256 ?? createHash('sha256').update(media.bytes).digest('hex'),
      file_size: media.bytes.length,
      id: decodeURIComponent(info[2]),
    })
  }

  private error(
    response: ServerResponse,
    status: number,
    code: number,
    message: string,
    details?: string
  ) {
    this.json(response, status, {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
        fbtrace_id: randomUUID().replaceAll('-', '').slice(0, 20),
      },
    })
  }

  private json(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  }
}
