/*
 * Reply templates for the local provider. Every fact in a reply (a price, a delivery fee, a
 * return window, a payment method) is read from the merchant's instructions or from this
 * conversation; when the fact is not there, the result is a handoff naming what was missing.
 */
import type {
  Decision,
  Entities,
  HandoffReason,
  Intent,
  MerchantInstructions,
  PaymentMethod,
  Product,
  ProductMention,
  ReplyLanguage,
} from '#conversations/ai/types'

type Text = Record<ReplyLanguage, string>

const PAYMENT_LABELS: Record<PaymentMethod, Text> = {
  cash_on_delivery: { en: 'cash on delivery', ar: 'الدفع عند الاستلام' },
  card: { en: 'credit or debit card', ar: 'بطاقة الائتمان أو الخصم' },
  instapay: { en: 'InstaPay', ar: 'إنستاباي' },
  vodafone_cash: { en: 'Vodafone Cash', ar: 'فودافون كاش' },
  bank_transfer: { en: 'bank transfer', ar: 'تحويل بنكي' },
  fawry: { en: 'Fawry', ar: 'فوري' },
}

export interface ReplyContext {
  instructions: MerchantInstructions
  language: ReplyLanguage
  entities: Entities
  /** Products and order number mentioned earlier in this conversation, latest first */
  earlierProducts: ProductMention[]
  earlierOrderNumber: string | null
}

function productName(product: Product, language: ReplyLanguage) {
  return language === 'ar' && product.nameAr ? product.nameAr : product.name
}

function money(amount: number, currency: string | undefined, language: ReplyLanguage) {
  const code = currency ?? 'EGP'
  const figure = Number.isInteger(amount) ? String(amount) : amount.toFixed(2)
  if (language === 'ar' && code === 'EGP') return `${figure} جنيه`
  return `${figure} ${code}`
}

function list(items: string[], language: ReplyLanguage) {
  if (items.length <= 1) return items.join('')
  const last = items[items.length - 1]
  return language === 'ar'
    ? `${items.slice(0, -1).join('، ')} و${last}`
    : `${items.slice(0, -1).join(', ')} and ${last}`
}

function note(
  text: { en?: string | null; ar?: string | null } | null | undefined,
  language: ReplyLanguage
) {
  const value = text?.[language]?.trim()
  return value ? ` ${value}` : ''
}

export function handoffNotice(instructions: MerchantInstructions, language: ReplyLanguage) {
  const name = instructions.businessName
  return language === 'ar'
    ? `شكراً لرسالتك. حد من فريق ${name} هيرد عليك هنا في أقرب وقت.`
    : `Thank you for your message. A member of the ${name} team will reply to you here shortly.`
}

export function handoff(
  reason: HandoffReason,
  detail: string | null,
  instructions: MerchantInstructions,
  language: ReplyLanguage
): Decision {
  return {
    kind: 'handoff',
    reason,
    detail,
    notice: handoffNotice(instructions, language),
    language,
  }
}

export function dataRightsAcknowledgement(
  instructions: MerchantInstructions,
  language: ReplyLanguage
): Decision {
  const name = instructions.businessName
  const text =
    language === 'ar'
      ? `وصلنا طلبك بخصوص بياناتك الشخصية، وبلغناه لـ${name} علشان يتواصلوا معاك بخصوصه.`
      : `We have received your request about your personal data and passed it to ${name}, who will get back to you about it.`
  return { kind: 'data_rights_request', text, language }
}

function catalogue(context: ReplyContext, withPrices: boolean) {
  const { instructions, language } = context
  return instructions.products
    .filter((product) => product.available !== false)
    .slice(0, 8)
    .map((product) => {
      const name = productName(product, language)
      return withPrices && typeof product.price === 'number'
        ? `${name} (${money(product.price, product.currency, language)})`
        : name
    })
}

function findProduct(instructions: MerchantInstructions, mention: ProductMention) {
  return instructions.products.find((product) => product.name === mention.name)
}

function mentioned(context: ReplyContext) {
  return context.entities.products.length ? context.entities.products : context.earlierProducts
}

function reply(text: string, language: ReplyLanguage): Decision {
  return { kind: 'reply', text, language }
}

function greeting(context: ReplyContext) {
  const { instructions, language } = context
  const name = instructions.businessName
  if (language === 'ar') {
    return instructions.tone === 'formal'
      ? `مرحباً بك في ${name}. كيف يمكننا مساعدتك؟`
      : `أهلاً بيك في ${name}! نقدر نساعدك إزاي؟`
  }
  return instructions.tone === 'formal'
    ? `Welcome to ${name}. How may we help you?`
    : `Hi, welcome to ${name}! How can we help you today?`
}

function outOfStock(product: Product, language: ReplyLanguage) {
  const name = productName(product, language)
  return language === 'ar'
    ? `للأسف ${name} مش متاح حالياً.`
    : `Sorry, ${name} is currently out of stock.`
}

/**
 * The product intents share their first steps: no catalogue means a handoff; no product named
 * (here or earlier in the conversation) means offering the catalogue with `question`.
 */
function aboutProducts(
  context: ReplyContext,
  question: (items: string) => Text,
  answer: (products: Array<{ product: Product; quantity: number | null }>) => Decision
): Decision {
  const { instructions, language } = context
  if (!instructions.products.length) {
    return handoff('instruction_missing', 'products', instructions, language)
  }
  const mentions = mentioned(context)
  if (!mentions.length) {
    return reply(question(list(catalogue(context, true), language))[language], language)
  }
  return answer(
    mentions.map((mention) => ({
      product: findProduct(instructions, mention)!,
      quantity: mention.quantity,
    }))
  )
}

function productInquiry(context: ReplyContext): Decision {
  const { language } = context
  return aboutProducts(
    context,
    (items) => ({
      ar: `المتاح عندنا: ${items}. تحب تعرف أكتر عن أنهي منتج؟`,
      en: `Here is what we have: ${items}. Which one would you like to know more about?`,
    }),
    (products) => {
      const lines = products.map(({ product }) => {
        if (product.available === false) return outOfStock(product, language)
        const name = productName(product, language)
        const price =
          typeof product.price === 'number'
            ? money(product.price, product.currency, language)
            : null
        if (language === 'ar')
          return price ? `أيوه، ${name} متاح بسعر ${price}.` : `أيوه، ${name} متاح.`
        return price ? `Yes, ${name} is available for ${price}.` : `Yes, ${name} is available.`
      })
      return reply(lines.join(' '), language)
    }
  )
}

function priceInquiry(context: ReplyContext): Decision {
  const { instructions, language } = context
  return aboutProducts(
    context,
    (items) => ({
      ar: `أسعارنا: ${items}. تحب تسأل عن أنهي منتج؟`,
      en: `Our products: ${items}. Which one are you asking about?`,
    }),
    (products) => {
      const unpriced = products.find(({ product }) => typeof product.price !== 'number')
      if (unpriced) {
        return handoff(
          'instruction_missing',
          `price:${unpriced.product.name}`,
          instructions,
          language
        )
      }
      const lines = products.map(({ product }) => {
        const name = productName(product, language)
        const price = money(product.price!, product.currency, language)
        return language === 'ar' ? `سعر ${name} ${price}.` : `${name} costs ${price}.`
      })
      return reply(lines.join(' '), language)
    }
  )
}

function deliveryFee(context: ReplyContext, subtotal: number | null) {
  const { language } = context
  const policy = context.instructions.policies.delivery
  if (!policy || typeof policy.feeEgp !== 'number') return ''
  if (
    typeof policy.freeAboveEgp === 'number' &&
    subtotal !== null &&
    subtotal >= policy.freeAboveEgp
  ) {
    return language === 'ar' ? ' التوصيل مجاني للطلب ده.' : ' Delivery is free for this order.'
  }
  const fee = money(policy.feeEgp, 'EGP', language)
  return language === 'ar' ? ` مصاريف التوصيل ${fee}.` : ` Delivery costs ${fee}.`
}

function orderPlacement(context: ReplyContext): Decision {
  const { language } = context
  return aboutProducts(
    context,
    (items) => ({
      ar: `تمام! تحب تطلب إيه؟ المتاح: ${items}.`,
      en: `Happy to help! What would you like to order? We have: ${items}.`,
    }),
    (products) => {
      const unavailable = products.find(({ product }) => product.available === false)
      if (unavailable) return reply(outOfStock(unavailable.product, language), language)
      return orderSummary(
        context,
        products.map(({ product, quantity }) => ({ product, quantity: quantity ?? 1 }))
      )
    }
  )
}

function orderSummary(context: ReplyContext, items: Array<{ product: Product; quantity: number }>) {
  const { instructions, language, entities } = context
  const priced = items.every(({ product }) => typeof product.price === 'number')
  const subtotal = priced
    ? items.reduce((sum, { product, quantity }) => sum + product.price! * quantity, 0)
    : null
  const summary = list(
    items.map(({ product, quantity }) => `${quantity} × ${productName(product, language)}`),
    language
  )
  const total =
    subtotal !== null ? ` (${money(subtotal, items[0].product.currency, language)})` : ''
  const destination = entities.city ?? entities.address
  if (!destination) {
    return reply(
      language === 'ar'
        ? `تمام، ${summary}${total}.${deliveryFee(context, subtotal)} ابعتلنا العنوان بالتفصيل والمدينة علشان نأكد الطلب.`
        : `Great: ${summary}${total}.${deliveryFee(context, subtotal)} Please send your full address and city so we can confirm the order.`,
      language
    )
  }
  const refusal = outsideDeliveryArea(context)
  if (refusal) return refusal
  return reply(
    language === 'ar'
      ? `شكراً! طلبك (${summary}${total}) اتسجل وفريق ${instructions.businessName} هيأكده معاك.${deliveryFee(context, subtotal)}`
      : `Thank you! Your order request (${summary}${total}) is noted and the ${instructions.businessName} team will confirm it with you.${deliveryFee(context, subtotal)}`,
    language
  )
}

function outsideDeliveryArea(context: ReplyContext): Decision | null {
  const { language, entities } = context
  const cities = context.instructions.policies.delivery?.cities ?? []
  if (!entities.city || !cities.length || cities.includes(entities.city)) return null
  return reply(
    language === 'ar'
      ? `للأسف التوصيل حالياً متاح بس في: ${list(cities, language)}.`
      : `Sorry, we currently deliver only to ${list(cities, language)}.`,
    language
  )
}

function orderStatus(context: ReplyContext): Decision {
  const { instructions, language } = context
  const orderNumber = context.entities.orderNumber ?? context.earlierOrderNumber
  if (!orderNumber) {
    return reply(
      language === 'ar'
        ? 'ممكن تبعتلنا رقم الطلب علشان نتابعه لك؟'
        : 'Could you send us your order number so we can check it for you?',
      language
    )
  }
  // The hub holds no order data: an agent of the merchant looks the order up
  return handoff('instruction_missing', 'order_status_lookup', instructions, language)
}

function delivery(context: ReplyContext): Decision {
  const { instructions, language } = context
  const policy = instructions.policies.delivery
  if (!policy) return handoff('instruction_missing', 'delivery_policy', instructions, language)
  const refusal = outsideDeliveryArea(context)
  if (refusal) return refusal
  const days =
    policy.minDays === policy.maxDays ? `${policy.minDays}` : `${policy.minDays}-${policy.maxDays}`
  const area = policy.cities?.length
    ? list(policy.cities, language)
    : language === 'ar'
      ? 'كل محافظات مصر'
      : 'all of Egypt'
  let text =
    language === 'ar'
      ? `بنوصل ${area} خلال ${days} أيام عمل.`
      : `We deliver to ${area} within ${days} working days.`
  if (typeof policy.feeEgp === 'number') {
    text +=
      language === 'ar'
        ? ` مصاريف التوصيل ${money(policy.feeEgp, 'EGP', language)}`
        : ` The delivery fee is ${money(policy.feeEgp, 'EGP', language)}`
    if (typeof policy.freeAboveEgp === 'number') {
      text +=
        language === 'ar'
          ? `، ومجاني للطلبات فوق ${money(policy.freeAboveEgp, 'EGP', language)}`
          : `, free for orders over ${money(policy.freeAboveEgp, 'EGP', language)}`
    }
    text += '.'
  }
  return reply(text + note(policy.note, language), language)
}

function returns(context: ReplyContext): Decision {
  const { instructions, language } = context
  const policy = instructions.policies.returns
  if (!policy) return handoff('instruction_missing', 'returns_policy', instructions, language)
  const text =
    language === 'ar'
      ? `تقدر ترجع المنتج خلال ${policy.windowDays} يوم من الاستلام.`
      : `You can return an item within ${policy.windowDays} days of delivery.`
  return reply(text + note(policy.note, language), language)
}

function payment(context: ReplyContext): Decision {
  const { instructions, language } = context
  const policy = instructions.policies.payment
  if (!policy || !policy.methods.length)
    return handoff('instruction_missing', 'payment_policy', instructions, language)
  const methods = list(
    policy.methods.map((method) => PAYMENT_LABELS[method][language]),
    language
  )
  const text = language === 'ar' ? `طرق الدفع المتاحة: ${methods}.` : `You can pay by ${methods}.`
  return reply(text + note(policy.note, language), language)
}

function other(context: ReplyContext): Decision {
  return reply(
    context.language === 'ar'
      ? 'أقدر أساعدك في المنتجات والأسعار والطلبات والتوصيل والاسترجاع والدفع. تحب تسأل عن إيه؟'
      : 'I can help with our products, prices, orders, delivery, returns and payment. What would you like to know?',
    context.language
  )
}

/** The reply for an intent that the AI may answer; special intents are decided before this. */
export function draftReply(intent: Intent, context: ReplyContext): Decision {
  switch (intent) {
    case 'greeting':
      return reply(greeting(context), context.language)
    case 'product_inquiry':
      return productInquiry(context)
    case 'price_inquiry':
      return priceInquiry(context)
    case 'order_placement':
      return orderPlacement(context)
    case 'order_status':
      return orderStatus(context)
    case 'delivery':
      return delivery(context)
    case 'return_refund':
      return returns(context)
    case 'payment':
      return payment(context)
    case 'complaint':
      return handoff('complaint', null, context.instructions, context.language)
    case 'human_request':
      return handoff('human_request', null, context.instructions, context.language)
    case 'opt_out':
      return { kind: 'opt_out' }
    case 'data_rights_request':
      return dataRightsAcknowledgement(context.instructions, context.language)
    case 'other':
      return other(context)
  }
}
