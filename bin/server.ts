import { createServer } from 'node:http'
import { prettyPrintError } from '@adonisjs/core'
import { withFrontDoor } from '#start/front_door'
import { createIgnitor } from './ignitor.js'

createIgnitor()
  .httpServer()
  .start((adonis) => createServer(withFrontDoor(adonis)))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
