/*
 * A loopback server speaking OpenAI's chat-completions wire format (`POST /v1/chat/completions`,
 * Bearer auth, the `chat.completion` object and the `{"error": {...}}` shape), so the real
 * `openai` SDK runs unmodified against it. Each test scripts what "the model" answers and reads
 * back the requests exactly as they arrived.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const FAKE_OPENAI_KEY = 'sk-test-fake-openai-key'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: any
}

type Answer =
  | { kind: 'content'; content: string }
  | { kind: 'error'; status: number; message: string; type: string }

export class FakeOpenAi {
  private server?: Server
  readonly requests: RecordedRequest[] = []
  private answers: Answer[] = []

  get baseURL() {
    const { port } = this.server!.address() as AddressInfo
    return `http://127.0.0.1:${port}/v1`
  }

  /** The next completion's message content is this object, as JSON (what structured outputs return). */
  answerWith(answer: unknown) {
    this.answers.push({ kind: 'content', content: JSON.stringify(answer) })
  }

  answerRaw(content: string) {
    this.answers.push({ kind: 'content', content })
  }

  failWith(status: number, message = 'The server had an error processing your request.') {
    this.answers.push({
      kind: 'error',
      status,
      message,
      type: status === 429 ? 'rate_limit_error' : 'server_error',
    })
  }

  async start() {
    this.server = createServer((request, response) => this.handle(request, response))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  private send(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': `req_${randomUUID()}`,
      // the SDK honours this, so retried failures do not slow the tests down
      'retry-after-ms': '5',
    })
    response.end(JSON.stringify(body))
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: any = null
    try {
      body = raw ? JSON.parse(raw) : null
    } catch {
      return this.send(response, 400, {
        error: {
          message: 'Invalid JSON body',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      })
    }
    this.requests.push({
      method: request.method!,
      path: request.url!,
      headers: request.headers,
      body,
    })
    if (request.headers.authorization !== `Bearer ${FAKE_OPENAI_KEY}`) {
      return this.send(response, 401, {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      })
    }
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      return this.send(response, 404, {
        error: {
          message: `Unknown request URL: ${request.url}`,
          type: 'invalid_request_error',
          param: null,
          code: 'unknown_url',
        },
      })
    }
    const answer = this.answers.shift()
    if (!answer) {
      return this.send(response, 500, {
        error: { message: 'No scripted answer', type: 'server_error', param: null, code: null },
      })
    }
    if (answer.kind === 'error') {
      return this.send(response, answer.status, {
        error: { message: answer.message, type: answer.type, param: null, code: null },
      })
    }
    this.send(response, 200, {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body?.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160 },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    })
  }
}
