import { BlockList, isIP } from 'node:net'

/**
 * Which peers may tell us the client's address through `X-Forwarded-For`. Login limits and
 * audit rows are keyed on that address, so trusting everyone would let a client pick a fresh
 * one per request. Only the reverse proxies the operator lists are trusted; none by default.
 *
 * TRUSTED_PROXIES is a comma-separated list of addresses, CIDR ranges, or `loopback`.
 */
export function parseTrustedProxies(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  for (const entry of entries) {
    if (entry === 'loopback') continue
    const [address, bits, extra] = entry.split('/')
    const family = isIP(address)
    const prefix = bits === undefined ? null : Number(bits)
    const prefixOk = prefix === null || (/^\d+$/.test(bits) && prefix <= (family === 6 ? 128 : 32))
    if (!family || extra !== undefined || !prefixOk) {
      throw new Error(
        `TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range or "loopback"`
      )
    }
  }
  return entries
}

/** A `trustProxy` function for the HTTP config: true only for the listed proxies. */
export function trustedProxyMatcher(entries: string[]) {
  const list = new BlockList()
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4')
      list.addAddress('::1', 'ipv6')
      continue
    }
    const [address, bits] = entry.split('/')
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return (address: string) => {
    // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4
    const candidate = plain ? address.slice(7) : address
    const family = isIP(candidate)
    return family !== 0 && list.check(candidate, family === 6 ? 'ipv6' : 'ipv4')
  }
}
