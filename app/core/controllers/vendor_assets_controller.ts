import { createReadStream } from 'node:fs'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { NotFound } from '#core/errors'

/* Front-end libraries are served from node_modules, so the console never loads from a CDN. */
const ASSETS: Record<string, string> = {
  'chart.js': 'node_modules/chart.js/dist/chart.umd.js',
  'cytoscape.js': 'node_modules/cytoscape/dist/cytoscape.min.js',
  'swagger-ui.js': 'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
  'swagger-ui.css': 'node_modules/swagger-ui-dist/swagger-ui.css',
}

export default class VendorAssetsController {
  async show({ params, response }: HttpContext) {
    const path = ASSETS[params.file]
    if (!path) throw new NotFound('asset')
    const type = params.file.endsWith('.css') ? 'text/css' : 'text/javascript'
    response.header('content-type', `${type}; charset=utf-8`)
    response.header('cache-control', 'public, max-age=86400')
    return response.stream(createReadStream(app.makePath(path)))
  }
}
