import { registerHealthCheck, type CheckResult } from '#core/health'
import { kms } from '#keys/kms/main'

/* /health is polled often; one probe per window keeps it fast and off the KMS bill. */
const CACHE_MS = 15_000
let last: { at: number; result: CheckResult } | undefined

export async function kmsHealth(): Promise<CheckResult> {
  if (last && Date.now() - last.at < CACHE_MS) return last.result
  const provider = kms()
  let result: CheckResult
  try {
    result = { up: true, detail: { provider: provider.name, ...(await provider.ping()) } }
  } catch (error) {
    result = {
      up: false,
      detail: { provider: provider.name },
      error: (error as Error).message.slice(0, 200),
    }
  }
  last = { at: Date.now(), result }
  return result
}

export function forgetKmsHealth() {
  last = undefined
}

registerHealthCheck('kms', kmsHealth)
