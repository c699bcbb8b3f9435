import type { IncomingMessage, ServerResponse } from 'node:http'

/*
 * Endpoints answered on the node:http request, in front of the AdonisJS router. Only routes
 * that need none of the framework's per-request work belong here: public, stateless, not HTML,
 * and held to a latency goal the full pipeline cannot meet. Every other request goes to AdonisJS.
 * The web server (`bin/server.ts`) and the test server (`tests/bootstrap.ts`) both mount it.
 */

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown

const ENDPOINTS: Record<string, () => Promise<{ default: NodeHandler }>> = {
  '/webhooks/meta': () => import('#conversations/webhooks/meta_webhook_endpoint'),
}

/** Called once the app has booted (the endpoints use its services). */
export function withFrontDoor(adonis: NodeHandler): NodeHandler {
  const loaded = new Map(
    Object.entries(ENDPOINTS).map(([path, load]) => [path, load().then((m) => m.default)])
  )
  return (req, res) => {
    const url = req.url ?? '/'
    const query = url.indexOf('?')
    const endpoint = loaded.get(query === -1 ? url : url.slice(0, query))
    if (!endpoint) return adonis(req, res)
    return endpoint.then((handle) => handle(req, res))
  }
}
