import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class KeysRotateMaster extends BaseCommand {
  static commandName = 'keys:rotate-master'
  static description =
    'Rotate the KMS master key and re-wrap only the scope-level keys (subject keys and rows are untouched)'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: keyRotation } = await import('#keys/services/key_rotation')
    try {
      const summary = await keyRotation.rotateMaster({ type: 'system', id: 'cli' })
      this.logger.success(
        `master rotated (${summary.provider}${summary.masterVersion ? ` v${summary.masterVersion}` : ''}): ` +
          `${summary.keystoreEntries} keystore keys, ${summary.dataKeys} data keys and ${summary.indexRoots} index roots re-wrapped`
      )
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
    }
  }
}
