import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'

const optionalText = (max: number) => vine.string().trim().maxLength(max).optional()

/* Art. 30(2)(a): the controller's contact details, its DPO and its Art. 27 representative. */
export const controllerDetailsValidator = vine.compile(
  vine.object({
    contactAddress: vine.string().trim().minLength(5).maxLength(500),
    contactEmail: vine.string().trim().email().maxLength(254),
    dpoName: optionalText(200),
    dpoEmail: vine.string().trim().email().maxLength(254).optional().requiredIfExists('dpoName'),
    representativeName: optionalText(200),
    representativeContact: optionalText(500).requiredIfExists('representativeName'),
  })
)
export type ControllerDetailsInput = Infer<typeof controllerDetailsValidator>
