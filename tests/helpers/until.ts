/** Polls `probe` until it returns something truthy, and returns that; fails after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
