import { defineFieldInventory } from '#data_map/inventory/definition'

/* A merchant's legal name and country are business data about the controller, not a person. */
export default defineFieldInventory({
  module: 'merchants',
  tables: {
    merchants: {
      nonPersonal: [
        'id',
        'slug',
        'legal_name',
        'country_code',
        'status',
        'created_at',
        'updated_at',
      ],
    },
  },
})
