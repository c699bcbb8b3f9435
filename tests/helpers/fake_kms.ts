/*
 * A loopback KMS for the functional tests, speaking the real AWS JSON 1.1 protocol
 * (`X-Amz-Target: TrentService.<Op>`), so `@aws-sdk/client-kms` runs unmodified. It checks the
 * SigV4 signature of every request against the test credentials and enforces the encryption
 * context (it is the AAD of every blob), like AWS KMS does.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
} from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const FAKE_KMS_CREDENTIALS = {
  accessKeyId: 'AKIDFAKEKMSTEST',
  secretAccessKey: 'fake-kms-secret-key',
}
export const FAKE_KMS_REGION = 'eu-west-1'
const ACCOUNT = '111122223333'

interface FakeKey {
  keyId: string
  arn: string
  material: Buffer
  state: 'Enabled' | 'PendingDeletion'
  deletionDate: number | null
  description: string
  created: number
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string
  ) {
    super(message)
  }
}

function contextAad(context: Record<string, string> | undefined) {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Buffer.from(JSON.stringify(entries))
}

function sha256(data: string | Buffer) {
  return createHash('sha256').update(data).digest('hex')
}

function hmac(key: Buffer | string, data: string) {
  return createHmac('sha256', key).update(data).digest()
}

export class FakeKms {
  private server?: Server
  readonly keys = new Map<string, FakeKey>()
  readonly aliases = new Map<string, string>()
  /** Operation name -> number of calls, to prove the hub only calls the KMS on a cache miss. */
  readonly calls = new Map<string, number>()
  private refusing = false
  endpoint = ''

  async start() {
    this.server = createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.endpoint = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    this.server = undefined
  }

  /** Simulates an outage: connections are reset without an answer. */
  goDown() {
    this.refusing = true
  }

  comeBack() {
    this.refusing = false
  }

  count(op: string) {
    return this.calls.get(op) ?? 0
  }

  /** Pretends the pending window has passed: the key is gone, as AWS would have deleted it. */
  expireDeletions() {
    for (const [id, key] of this.keys) if (key.state === 'PendingDeletion') this.keys.delete(id)
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    if (this.refusing) {
      req.socket.destroy()
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const target = String(req.headers['x-amz-target'] ?? '')
    const op = target.replace(/^TrentService\./, '')
    try {
      if (
        req.method !== 'POST' ||
        req.headers['content-type'] !== 'application/x-amz-json-1.1' ||
        !target.startsWith('TrentService.')
      ) {
        throw new KmsFault('UnknownOperationException', 'not a TrentService JSON 1.1 request')
      }
      this.verifySignature(req, body)
      this.calls.set(op, this.count(op) + 1)
      const input = JSON.parse(body.toString() || '{}')
      const output = this.dispatch(op, input)
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      })
      res.end(JSON.stringify(output))
    } catch (error) {
      const fault =
        error instanceof KmsFault
          ? error
          : new KmsFault('KMSInternalException', (error as Error).message)
      res.writeHead(fault.type === 'KMSInternalException' ? 500 : 400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': fault.type,
        'x-amzn-requestid': randomUUID(),
      })
      res.end(JSON.stringify({ __type: fault.type, message: fault.message }))
    }
  }

  /** Recomputes the SigV4 signature from the signed headers, as AWS does. */
  private verifySignature(req: IncomingMessage, body: Buffer) {
    const auth = String(req.headers.authorization ?? '')
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/kms\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth
      )
    if (!match)
      throw new KmsFault(
        'IncompleteSignatureException',
        'missing or malformed SigV4 Authorization header'
      )
    const [, accessKey, date, region, signedHeaders, signature] = match
    if (accessKey !== FAKE_KMS_CREDENTIALS.accessKeyId)
      throw new KmsFault('UnrecognizedClientException', 'unknown access key')
    const headerLines = signedHeaders.split(';').map((name) => {
      const value = req.headers[name]
      return `${name}:${String(Array.isArray(value) ? value.join(',') : (value ?? ''))
        .trim()
        .replace(/\s+/g, ' ')}`
    })
    const [path, query = ''] = (req.url ?? '/').split('?')
    const canonical = [
      'POST',
      path,
      query,
      `${headerLines.join('\n')}\n`,
      signedHeaders,
      sha256(body),
    ].join('\n')
    const scope = `${date}/${region}/kms/aws4_request`
    const toSign = [
      'AWS4-HMAC-SHA256',
      String(req.headers['x-amz-date']),
      scope,
      sha256(canonical),
    ].join('\n')
    let key = hmac(`AWS4${FAKE_KMS_CREDENTIALS.secretAccessKey}`, date)
    for (const part of [region, 'kms', 'aws4_request']) key = hmac(key, part)
    if (hmac(key, toSign).toString('hex') !== signature) {
      throw new KmsFault(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.'
      )
    }
  }

  private dispatch(op: string, input: any): unknown {
    switch (op) {
      case 'CreateKey':
        return { KeyMetadata: this.metadata(this.createKey(input.Description ?? '')) }
      case 'CreateAlias': {
        if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(input.AliasName ?? ''))
          throw new KmsFault('ValidationException', 'bad alias name')
        if (this.aliases.has(input.AliasName))
          throw new KmsFault('AlreadyExistsException', `${input.AliasName} exists`)
        this.aliases.set(input.AliasName, this.find(input.TargetKeyId).keyId)
        return {}
      }
      case 'UpdateAlias': {
        if (!this.aliases.has(input.AliasName))
          throw new KmsFault('NotFoundException', `${input.AliasName} does not exist`)
        this.aliases.set(input.AliasName, this.find(input.TargetKeyId).keyId)
        return {}
      }
      case 'ListAliases':
        return {
          Aliases: [...this.aliases].map(([name, keyId]) => ({
            AliasName: name,
            AliasArn: `arn:aws:kms:${FAKE_KMS_REGION}:${ACCOUNT}:${name}`,
            TargetKeyId: keyId,
          })),
          Truncated: false,
        }
      case 'DescribeKey':
        return { KeyMetadata: this.metadata(this.find(input.KeyId)) }
      case 'GenerateDataKey': {
        const key = this.usable(input.KeyId)
        const size = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32)
        const plaintext = randomBytes(size)
        return {
          KeyId: key.arn,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: this.seal(key, plaintext, input.EncryptionContext).toString('base64'),
        }
      }
      case 'Encrypt': {
        const key = this.usable(input.KeyId)
        const plaintext = Buffer.from(input.Plaintext, 'base64')
        if (plaintext.length > 4096)
          throw new KmsFault('ValidationException', 'plaintext larger than 4096 bytes')
        return {
          KeyId: key.arn,
          CiphertextBlob: this.seal(key, plaintext, input.EncryptionContext).toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        }
      }
      case 'Decrypt': {
        const { key, plaintext } = this.open(
          Buffer.from(input.CiphertextBlob, 'base64'),
          input.EncryptionContext,
          input.KeyId
        )
        return {
          KeyId: key.arn,
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        }
      }
      case 'ReEncrypt': {
        const source = this.open(
          Buffer.from(input.CiphertextBlob, 'base64'),
          input.SourceEncryptionContext,
          input.SourceKeyId
        )
        const destination = this.usable(input.DestinationKeyId)
        return {
          SourceKeyId: source.key.arn,
          KeyId: destination.arn,
          CiphertextBlob: this.seal(
            destination,
            source.plaintext,
            input.DestinationEncryptionContext
          ).toString('base64'),
        }
      }
      case 'ScheduleKeyDeletion': {
        const key = this.find(input.KeyId)
        const days = input.PendingWindowInDays ?? 30
        if (days < 7 || days > 30)
          throw new KmsFault('ValidationException', 'PendingWindowInDays must be between 7 and 30')
        if (key.state !== 'PendingDeletion') {
          key.state = 'PendingDeletion'
          key.deletionDate = Math.floor(Date.now() / 1000) + days * 86400
        }
        return {
          KeyId: key.arn,
          KeyState: key.state,
          DeletionDate: key.deletionDate,
          PendingWindowInDays: days,
        }
      }
      default:
        throw new KmsFault(
          'UnsupportedOperationException',
          `${op} is not implemented by the test KMS`
        )
    }
  }

  private createKey(description: string) {
    const keyId = randomUUID()
    const key: FakeKey = {
      keyId,
      arn: `arn:aws:kms:${FAKE_KMS_REGION}:${ACCOUNT}:key/${keyId}`,
      material: randomBytes(32),
      state: 'Enabled',
      deletionDate: null,
      description,
      created: Math.floor(Date.now() / 1000),
    }
    this.keys.set(keyId, key)
    return key
  }

  private metadata(key: FakeKey) {
    return {
      AWSAccountId: ACCOUNT,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: key.created,
      Enabled: key.state === 'Enabled',
      Description: key.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyState: key.state,
      DeletionDate: key.deletionDate ?? undefined,
      KeyManager: 'CUSTOMER',
      Origin: 'AWS_KMS',
    }
  }

  private find(id: string | undefined): FakeKey {
    let keyId = String(id ?? '')
    if (keyId.startsWith('alias/')) keyId = this.aliases.get(keyId) ?? ''
    else if (keyId.startsWith('arn:')) keyId = keyId.split(':key/')[1] ?? ''
    const key = this.keys.get(keyId)
    if (!key) throw new KmsFault('NotFoundException', `Key '${id}' does not exist`)
    return key
  }

  private usable(id: string | undefined) {
    const key = this.find(id)
    if (key.state !== 'Enabled')
      throw new KmsFault('KMSInvalidStateException', `${key.arn} is pending deletion.`)
    return key
  }

  private seal(key: FakeKey, plaintext: Buffer, context: Record<string, string> | undefined) {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key.material, iv).setAAD(contextAad(context))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    const id = Buffer.from(key.keyId)
    return Buffer.concat([Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body])
  }

  private open(blob: Buffer, context: Record<string, string> | undefined, keyIdHint?: string) {
    const idLength = blob[0] ?? 0
    const keyId = blob.subarray(1, 1 + idLength).toString()
    const key = this.keys.get(keyId)
    if (blob.length < 1 + idLength + 28)
      throw new KmsFault('InvalidCiphertextException', 'ciphertext is not valid')
    if (!key) throw new KmsFault('NotFoundException', `Key '${keyId}' does not exist`)
    if (keyIdHint && this.find(keyIdHint).keyId !== key.keyId)
      throw new KmsFault('IncorrectKeyException', 'the key does not match the ciphertext')
    if (key.state !== 'Enabled')
      throw new KmsFault('KMSInvalidStateException', `${key.arn} is pending deletion.`)
    const rest = blob.subarray(1 + idLength)
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.material, rest.subarray(0, 12)).setAAD(
        contextAad(context)
      )
      decipher.setAuthTag(rest.subarray(12, 28))
      return {
        key,
        plaintext: Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]),
      }
    } catch {
      throw new KmsFault(
        'InvalidCiphertextException',
        'ciphertext or encryption context does not match'
      )
    }
  }
}
