/*
 * Ace loader for the commands that live inside the modules, listed in `start/commands.ts`.
 */
import type { BaseCommand } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/core/types/ace'
import { commands } from '#start/commands'

let loaded: Array<typeof BaseCommand> | undefined

async function all() {
  if (!loaded) {
    const modules = await Promise.all(commands.map((load) => load()))
    loaded = modules.map((module) => module.default)
  }
  return loaded
}

export async function getMetaData(): Promise<CommandMetaData[]> {
  const loadedCommands = await all()
  return loadedCommands.map((command) => command.serialize())
}

export async function getCommand(metaData: CommandMetaData) {
  const loadedCommands = await all()
  return loadedCommands.find((command) => command.commandName === metaData.commandName) ?? null
}
