import { defineFieldInventory } from '#data_map/inventory/definition'

/*
 * A merchant's legal name, address and country are business data about the controller. The
 * people it names as contacts (DPO, Art. 27 representative, contact mailbox) are personal data,
 * sealed under the merchant's key; they go when the merchant is terminated and purged.
 */
const contact = {
  category: 'merchant.controller.contact',
  identifiesSubject: true,
  encrypted: true,
  retention: 'merchant.controller.contact',
} as const

export default defineFieldInventory({
  module: 'merchants',
  tables: {
    merchants: {
      personal: {
        contact_email: contact,
        dpo_name: contact,
        dpo_email: contact,
        representative_name: contact,
        representative_contact: contact,
      },
      nonPersonal: [
        'id',
        'slug',
        'legal_name',
        'country_code',
        'status',
        'contact_address',
        'objection_window_days',
        'created_at',
        'updated_at',
      ],
    },
  },
})
