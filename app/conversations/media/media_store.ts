/*
 * Inbound WhatsApp media, fetched when the channel connection holds an access token (without one
 * only the metadata Meta sent is kept). The bytes are checked against the sha256 Meta gave,
 * capped at MAX_MEDIA_BYTES, sealed under the customer's subject key (so erasing the customer
 * makes them unreadable) and written to STORAGE_PATH at a path derived from the message, which
 * the message's sealed `content` records as `media.stored: { path, bytes, sha256 }`. Erasure
 * deletes the file with the message row (`removeMessageMedia`). Instagram attachments are not
 * fetched: their CDN URLs stay in the message content as Meta sent them.
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { storagePath } from '#core/storage'
import fieldCipher from '#keys/services/field_cipher'
import { graphClient, type GraphClient } from '#conversations/graph/graph_client'
import ChannelConnection from '#conversations/models/channel_connection'
import Conversation from '#conversations/models/conversation'
import Message, { type MessageType } from '#conversations/models/message'

/** WhatsApp's own limit for documents is 100 MB; the hub keeps files up to 16 MB. */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024

export const FETCH_MEDIA_JOB = 'conversations.fetch_media'

/* Named by the message and its creation time, like the reply job: a retried ingestion enqueues it once */
export function mediaJobId(message: { id: number; createdAt: number }) {
  return `media-${message.id}-${message.createdAt}`
}

/** WhatsApp message types whose `content.media.id` names a file at Meta. */
export const MEDIA_TYPES: MessageType[] = ['image', 'video', 'audio', 'document', 'sticker']

export interface StoredMedia {
  path: string
  bytes: number
  sha256: string
}

export type FetchOutcome =
  | 'stored'
  | 'already_stored'
  | 'no_token'
  | 'not_media'
  | 'missing'
  | 'too_large'
  | 'sha_mismatch'

interface MediaContent {
  media?: { id?: string; sha256?: string; stored?: StoredMedia; refused?: string }
  [key: string]: unknown
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** Meta gives the file's SHA-256 as hex (WhatsApp) or base64 in some payloads: accept both. */
function sameDigest(bytes: Buffer, given: string) {
  const digest = createHash('sha256').update(bytes).digest()
  return given.toLowerCase() === digest.toString('hex') || given === digest.toString('base64')
}

/** The file of a message: one per message, so erasure finds it from the row alone. */
const MEDIA_ROOT = 'conversations/media'
const ORPHAN_BATCH = 1000

export function mediaPath(merchantId: number, messageId: number) {
  return `${MEDIA_ROOT}/${merchantId}/${messageId}.sealed`
}

function fileContext(message: Pick<Message, 'merchantId' | 'customerId' | 'id'>) {
  return {
    merchantId: message.merchantId,
    subject: `customer:${message.customerId}`,
    table: 'messages',
    column: 'media',
    row: String(message.id),
  }
}

/** Whether an inbound WhatsApp message names a file the channel's token can fetch. */
export function wantsMedia(
  connection: Pick<ChannelConnection, 'channel' | 'accessToken'>,
  type: MessageType,
  content: Record<string, unknown> | null | undefined
) {
  const media = content?.media as { id?: unknown } | undefined
  return (
    connection.channel === 'whatsapp' &&
    Boolean(connection.accessToken) &&
    MEDIA_TYPES.includes(type) &&
    typeof media?.id === 'string'
  )
}

export class MediaStore {
  constructor(private readonly client: () => Promise<GraphClient> = graphClient) {}

  /** Fetches, checks, seals and records one message's media. A retry after success does nothing. */
  async fetch(messageId: number): Promise<FetchOutcome> {
    const message = await Message.find(messageId)
    if (!message || message.direction !== 'inbound') return 'missing'
    const content = message.contentValue<MediaContent>() ?? {}
    const media = content.media
    if (!MEDIA_TYPES.includes(message.type) || !media?.id) return 'not_media'
    if (media.stored) return 'already_stored'
    const conversation = await Conversation.find(message.conversationId)
    const connection = conversation
      ? await ChannelConnection.find(conversation.channelConnectionId)
      : null
    if (!connection || connection.channel !== 'whatsapp' || !connection.accessToken) {
      return 'no_token'
    }

    const client = await this.client()
    const info = await client.mediaInfo(connection.accessToken, media.id)
    if (info.fileSize !== null && info.fileSize > MAX_MEDIA_BYTES) {
      return this.refuse(message, content, 'too_large')
    }
    let bytes: Buffer
    try {
      bytes = await client.downloadMedia(connection.accessToken, info.url, MAX_MEDIA_BYTES)
    } catch (error) {
      if ((error as { code?: string }).code === 'media_too_large') {
        return this.refuse(message, content, 'too_large')
      }
      throw error
    }
    const expected = media.sha256 ?? info.sha256
    if (!expected || !sameDigest(bytes, expected)) {
      return this.refuse(message, content, 'sha_mismatch')
    }

    const path = mediaPath(message.merchantId, message.id)
    const absolute = storagePath(path)
    await mkdir(dirname(absolute), { recursive: true, mode: 0o700 })
    const sealed = await fieldCipher.seal(bytes.toString('base64'), fileContext(message))
    await writeFile(absolute, sealed, { mode: 0o600 })
    const stored: StoredMedia = { path, bytes: bytes.length, sha256: sha256Hex(bytes) }
    message.content = JSON.stringify({ ...content, media: { ...media, stored } })
    await message.save()
    return 'stored'
  }

  /** The original bytes of a stored file (fails once the customer's key is destroyed). */
  async read(message: Message): Promise<Buffer | null> {
    const stored = message.contentValue<MediaContent>()?.media?.stored
    if (!stored) return null
    const sealed = await readFile(storagePath(stored.path), 'utf8')
    return Buffer.from(await fieldCipher.open(sealed, fileContext(message)), 'base64')
  }

  private async refuse(
    message: Message,
    content: MediaContent,
    reason: 'too_large' | 'sha_mismatch'
  ) {
    message.content = JSON.stringify({ ...content, media: { ...content.media, refused: reason } })
    await message.save()
    return reason
  }
}

/** Erasure: the files of message rows just deleted. */
export async function removeMessageMedia(rows: Array<Record<string, any>>) {
  for (const row of rows) {
    const merchantId = row.merchant_id ?? row.merchantId
    if (merchantId) await rm(storagePath(mediaPath(merchantId, row.id)), { force: true })
  }
}

/**
 * Retention: files whose message row is gone, however it went (purged past its retention, or
 * with its customer or conversation by cascade). Returns how many were removed.
 */
export async function removeOrphanedMedia() {
  const root = storagePath(MEDIA_ROOT)
  const merchants = await readdir(root).catch((error) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  let removed = 0
  for (const merchant of merchants) {
    const files = await readdir(join(root, merchant))
    for (let start = 0; start < files.length; start += ORPHAN_BATCH) {
      const batch = files.slice(start, start + ORPHAN_BATCH)
      const ids = batch.map((file) => Number.parseInt(file, 10)).filter(Number.isSafeInteger)
      const rows = await Message.query()
        .where('merchant_id', Number(merchant))
        .whereIn('id', ids)
        .select('id')
      const present = new Set(rows.map((row) => row.id))
      for (const file of batch) {
        if (present.has(Number.parseInt(file, 10))) continue
        await rm(join(root, merchant, file), { force: true })
        removed++
      }
    }
  }
  return removed
}

export default new MediaStore()
