/*
 * The Meta Graph API client for outbound messages: WhatsApp Cloud API
 * (`POST /{phone-number-id}/messages`) and Instagram Messaging (`POST /{ig-id}/messages`), and
 * WhatsApp media retrieval (`GET /{media-id}` for a short-lived URL, then that URL). Base
 * URL and version come from META_GRAPH_URL and META_GRAPH_VERSION, so tests point it at a local
 * server speaking the same shapes. Errors become `GraphError` with Meta's code and whether a retry
 * can help; nothing here logs message text or recipients.
 */

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com'
export const DEFAULT_GRAPH_VERSION = 'v21.0'

/** WhatsApp: the free-form window has closed; only a template may re-engage the customer. */
export const REENGAGEMENT_ERROR = 131047

/** Meta's throttling codes: a later retry may pass. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056])

export interface GraphChannel {
  channel: 'whatsapp' | 'instagram'
  /** phone_number_id (WhatsApp) or the Instagram professional account id */
  externalId: string
  accessToken: string
}

/** Who receives it: a wa_id (or phone), a BSUID when that is all Meta gave, or an IGSID. */
export interface GraphRecipient {
  waId?: string | null
  bsuid?: string | null
  instagramId?: string | null
}

/** What Meta says about a WhatsApp media object (`GET /{version}/{media-id}`). */
export interface GraphMedia {
  url: string
  mimeType: string | null
  sha256: string | null
  fileSize: number | null
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly retryable: boolean
  ) {
    super(`Graph API error ${code}: ${title}`)
  }
}

export interface GraphSettings {
  baseUrl?: string
  version?: string
  timeoutMs?: number
}

export class GraphClient {
  private readonly baseUrl: string
  private readonly version: string
  private readonly timeoutMs: number

  constructor(settings: GraphSettings = {}) {
    this.baseUrl = (settings.baseUrl || DEFAULT_GRAPH_URL).replace(/\/+$/, '')
    this.version = settings.version || DEFAULT_GRAPH_VERSION
    this.timeoutMs = settings.timeoutMs ?? 10_000
  }

  /** Sends a text message; answers Meta's message id (wamid or mid). */
  async sendText(
    channel: GraphChannel,
    recipient: GraphRecipient,
    text: string,
    options: { humanAgent?: boolean } = {}
  ): Promise<{ messageId: string }> {
    const body =
      channel.channel === 'whatsapp'
        ? whatsappBody(recipient, text)
        : instagramBody(recipient, text, options.humanAgent ?? false)
    const url = `${this.baseUrl}/${this.version}/${encodeURIComponent(channel.externalId)}/messages`
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'authorization': `Bearer ${channel.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      throw new GraphError(0, timedOut ? 'timeout' : 'network_error', 'Graph API unreachable', true)
    }
    const payload = (await response.json().catch(() => null)) as any
    if (!response.ok || payload?.error) throw graphErrorOf(response.status, payload)
    const messageId =
      channel.channel === 'whatsapp' ? payload?.messages?.[0]?.id : payload?.message_id
    if (typeof messageId !== 'string' || !messageId) {
      throw new GraphError(
        response.status,
        'no_message_id',
        'Graph API answered without a message id',
        true
      )
    }
    return { messageId }
  }

  /** WhatsApp media: its short-lived download URL and what Meta says about the file. */
  async mediaInfo(accessToken: string, mediaId: string): Promise<GraphMedia> {
    const url = `${this.baseUrl}/${this.version}/${encodeURIComponent(mediaId)}`
    const response = await this.request(url, accessToken)
    const payload = (await response.json().catch(() => null)) as any
    if (!response.ok || payload?.error) throw graphErrorOf(response.status, payload)
    if (typeof payload?.url !== 'string' || !payload.url) {
      throw new GraphError(
        response.status,
        'no_media_url',
        'Graph API answered without a URL',
        true
      )
    }
    const size = Number(payload.file_size)
    return {
      url: payload.url,
      mimeType: typeof payload.mime_type === 'string' ? payload.mime_type : null,
      sha256: typeof payload.sha256 === 'string' ? payload.sha256 : null,
      fileSize: Number.isFinite(size) ? size : null,
    }
  }

  /**
   * The bytes behind a media URL (same bearer token). Stops reading past `maxBytes`, so a file
   * larger than announced is refused without being held in memory.
   */
  async downloadMedia(accessToken: string, url: string, maxBytes: number): Promise<Buffer> {
    const response = await this.request(url, accessToken)
    if (!response.ok) {
      throw graphErrorOf(response.status, await response.json().catch(() => null))
    }
    const chunks: Buffer[] = []
    let total = 0
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength
        if (total > maxBytes) {
          throw new GraphError(
            response.status,
            'media_too_large',
            'Media exceeds the size cap',
            false
          )
        }
        chunks.push(Buffer.from(chunk))
      }
    }
    return Buffer.concat(chunks)
  }

  private async request(url: string, accessToken: string) {
    try {
      return await fetch(url, {
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      throw new GraphError(0, timedOut ? 'timeout' : 'network_error', 'Graph API unreachable', true)
    }
  }
}

function whatsappBody(recipient: GraphRecipient, text: string) {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    type: 'text',
    text: { body: text, preview_url: false },
  }
  if (recipient.waId) return { ...base, to: recipient.waId }
  if (recipient.bsuid) return { ...base, recipient: recipient.bsuid }
  throw new GraphError(0, 'recipient_unknown', 'No WhatsApp recipient for this customer', false)
}

/* Past the 24-hour window a person's reply carries the HUMAN_AGENT tag (7 days, people only). */
function instagramBody(recipient: GraphRecipient, text: string, humanAgent: boolean) {
  if (!recipient.instagramId) {
    throw new GraphError(0, 'recipient_unknown', 'No Instagram recipient for this customer', false)
  }
  const body = { recipient: { id: recipient.instagramId }, message: { text } }
  return humanAgent ? { ...body, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : body
}

function graphErrorOf(status: number, payload: any) {
  const error = payload?.error ?? {}
  const code = Number(error.code)
  const title = String(error.error_data?.details ?? error.message ?? `HTTP ${status}`).slice(0, 255)
  const retryable =
    status >= 500 || status === 429 || RATE_LIMIT_CODES.has(code) || error.is_transient === true
  return new GraphError(
    status,
    Number.isFinite(code) ? String(code) : `http_${status}`,
    title,
    retryable
  )
}

let configured: GraphClient | undefined

/** The client for this process, from META_GRAPH_URL and META_GRAPH_VERSION. */
export async function graphClient() {
  if (!configured) {
    const { default: env } = await import('#start/env')
    configured = new GraphClient({
      baseUrl: env.get('META_GRAPH_URL'),
      version: env.get('META_GRAPH_VERSION'),
    })
  }
  return configured
}
