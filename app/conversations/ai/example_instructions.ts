import type { MerchantInstructions } from '#conversations/ai/types'

/**
 * A complete set of merchant instructions: the eval runs against it, and it shows the shape the
 * portal's AI-instructions form fills in. Products, prices and policies are illustrative.
 */
export const EXAMPLE_INSTRUCTIONS: MerchantInstructions = {
  businessName: 'Nile Threads',
  products: [
    { name: 'Black hoodie', nameAr: 'هودي اسود', aliases: ['hoodie', 'هودي'], price: 650 },
    { name: 'T-shirt', nameAr: 'تيشيرت', aliases: ['tshirt', 't shirt', 'تيشرت'], price: 250 },
    { name: 'Beige coat', nameAr: 'جاكيت بيج', aliases: ['coat', 'jacket', 'جاكيت'], price: 1450 },
    { name: 'Leather wallet', nameAr: 'محفظة جلد', aliases: ['wallet', 'محفظه'], price: 400 },
    {
      name: 'Satin pajamas',
      nameAr: 'بيجامة ساتان',
      aliases: ['pajamas', 'pajama', 'بيجامه'],
      price: null,
    },
    {
      name: 'Grey abaya',
      nameAr: 'عباية رمادي',
      aliases: ['abaya', 'عبايه'],
      price: 900,
      available: false,
    },
  ],
  policies: {
    returns: {
      windowDays: 14,
      note: {
        en: 'Items must be unworn with tags.',
        ar: 'بشرط إن المنتج ما يكونش اتلبس وعليه التيكت.',
      },
    },
    delivery: { minDays: 2, maxDays: 5, feeEgp: 60, freeAboveEgp: 1500, cities: [] },
    payment: { methods: ['cash_on_delivery', 'instapay', 'vodafone_cash'] },
  },
  tone: 'friendly',
  languages: ['ar', 'en'],
  escalation: { intents: ['complaint', 'human_request'], keywords: [], minConfidence: 0.3 },
}
