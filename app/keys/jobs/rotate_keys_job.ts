import type { JobContext, JobHandler } from '#core/queue'
import keyRotation from '#keys/services/key_rotation'

/** Re-wraps subject keys and re-encrypts rows after a data-key rotation, then retires old versions. */
export default class RotateKeysJob implements JobHandler<{ rotationId: number }> {
  async handle(payload: { rotationId: number }, ctx: JobContext) {
    const rotation = await keyRotation.run(payload.rotationId, ctx)
    return {
      rotationId: rotation.id,
      status: rotation.status,
      rowsDone: rotation.rowsDone,
      subjectKeysDone: rotation.subjectKeysDone,
    }
  }
}
