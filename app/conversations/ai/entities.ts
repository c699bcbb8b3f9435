/*
 * Entity extraction for the local provider: the merchant's products (from its instructions) with
 * quantities, an order number, an Egyptian city and a free-text address. Runs on minimised text,
 * so phone numbers are already placeholders and cannot be mistaken for order numbers.
 */
import { EGYPT_CITIES } from '#conversations/ai/egypt_cities'
import { asciiDigits, normalize, tokens } from '#conversations/ai/text'
import type { Entities, Product, ProductMention } from '#conversations/ai/types'

/* Arabic clitics written onto a noun: "والتيشيرت", "بالفستان", "للجاكيت" */
const ARABIC_PREFIXES = ['', 'ال', 'وال', 'بال', 'لل', 'فال', 'و', 'ب', 'ف', 'ل']
const LATIN_SUFFIXES = ['', 's', 'es']

const NUMBER_WORDS: Record<string, number> = {
  'one': 1,
  'two': 2,
  'three': 3,
  'four': 4,
  'five': 5,
  'six': 6,
  'seven': 7,
  'eight': 8,
  'nine': 9,
  'ten': 10,
  'a': 1,
  'an': 1,
  'pair': 2,
  'couple': 2,
  'dozen': 12,
  'واحد': 1,
  'واحده': 1,
  'اتنين': 2,
  'اثنين': 2,
  'اتنان': 2,
  'تلاته': 3,
  'ثلاثه': 3,
  'تلات': 3,
  'اربعه': 4,
  'اربع': 4,
  'خمسه': 5,
  'خمس': 5,
  'سته': 6,
  'ست': 6,
  'سبعه': 7,
  'سبع': 7,
  'تمنيه': 8,
  'ثمانيه': 8,
  'تسعه': 9,
  'عشره': 10,
  'wa7ed': 1,
  'wahed': 1,
  'wa7da': 1,
  'etnen': 2,
  'itnen': 2,
  'etneen': 2,
  'talata': 3,
  'tlata': 3,
  'arba3a': 4,
  'arb3a': 4,
  '5amsa': 5,
  'khamsa': 5,
  'seta': 6,
  'sab3a': 7,
}

function quantityOf(word: string | undefined): number | null {
  if (!word) return null
  const cleaned = word.replace(/^x(?=\d)|(?<=\d)x$/, '')
  if (/^\d{1,3}$/.test(cleaned)) {
    const value = Number(cleaned)
    return value > 0 && value <= 500 ? value : null
  }
  return NUMBER_WORDS[word] ?? null
}

const QUANTITY_FILLERS = new Set([
  'x',
  'pcs',
  'pieces',
  'piece',
  'قطعه',
  'قطع',
  'عدد',
  'of',
  'حته',
  'حتت',
  'pc',
])

/* Every written form of a word that may carry a product or city name, mapped to that name */
function wordForms(spelling: string, prefixes: string[], suffixes: string[]) {
  return /[a-z0-9]/.test(spelling)
    ? suffixes.map((suffix) => spelling + suffix)
    : prefixes.map((prefix) => prefix + spelling)
}

interface NameIndex {
  /** first word form → candidate spellings (all words) with the name they stand for */
  byFirst: Map<string, Array<{ name: string; words: string[] }>>
}

function buildIndex(
  entries: Array<{ name: string; spelling: string }>,
  prefixes: string[],
  suffixes: string[]
) {
  const byFirst: NameIndex['byFirst'] = new Map()
  for (const { name, spelling } of entries) {
    const words = tokens(normalize(spelling))
    if (!words.length) continue
    for (const form of wordForms(words[0], prefixes, suffixes)) {
      const list = byFirst.get(form) ?? []
      list.push({ name, words })
      // longer names first: "new cairo" before "cairo"
      list.sort((a, b) => b.words.length - a.words.length)
      byFirst.set(form, list)
    }
  }
  return { byFirst }
}

function restMatches(
  words: string[],
  at: number,
  spelling: string[],
  prefixes: string[],
  suffixes: string[]
) {
  if (at + spelling.length > words.length) return false
  for (let offset = 1; offset < spelling.length; offset++) {
    if (!wordForms(spelling[offset], prefixes, suffixes).includes(words[at + offset])) return false
  }
  return true
}

/** Each name found in the words, once, with where it was found. */
function findNames(words: string[], index: NameIndex, prefixes: string[], suffixes: string[]) {
  const found: Array<{ name: string; start: number; end: number }> = []
  for (let at = 0; at < words.length; at++) {
    for (const candidate of index.byFirst.get(words[at]) ?? []) {
      if (found.some((hit) => hit.name === candidate.name)) continue
      if (restMatches(words, at, candidate.words, prefixes, suffixes)) {
        found.push({ name: candidate.name, start: at, end: at + candidate.words.length })
        break
      }
    }
  }
  return found
}

function nearbyQuantity(words: string[], start: number, end: number) {
  // "2 tshirts", "2 x tshirt", "اتنين تيشيرت", then "tshirt x2", "تيشيرت عدد 2"
  const before = QUANTITY_FILLERS.has(words[start - 1]) ? start - 2 : start - 1
  const leading = quantityOf(words[before])
  if (leading !== null) return leading
  if (/^x\d{1,3}$/.test(words[end] ?? '')) return quantityOf(words[end])
  return QUANTITY_FILLERS.has(words[end]) ? quantityOf(words[end + 1]) : null
}

const productIndexes = new WeakMap<Product[], NameIndex>()

export function extractProducts(text: string, products: Product[]): ProductMention[] {
  let index = productIndexes.get(products)
  if (!index) {
    const entries = products.flatMap((product) =>
      [product.name, product.nameAr ?? '', ...(product.aliases ?? [])]
        .filter(Boolean)
        .map((spelling) => ({ name: product.name, spelling }))
    )
    index = buildIndex(entries, ARABIC_PREFIXES, LATIN_SUFFIXES)
    productIndexes.set(products, index)
  }
  const words = tokens(normalize(text))
  return findNames(words, index, ARABIC_PREFIXES, LATIN_SUFFIXES).map((hit) => ({
    name: hit.name,
    quantity: nearbyQuantity(words, hit.start, hit.end),
  }))
}

const ORDER_NUMBER_PATTERNS = [
  /#\s?([a-z]{0,4}-?\d{3,12})\b/i,
  /\b([a-z]{2,4}-\d{3,12})\b/i,
  /\b(?:order|ordr|oder|odr|awrder|orderi|tracking|ref|reference)\s*(?:no\.?|number|num|nr|id|#|:)?\s*:?\s*([a-z]{0,3}\d{3,12})\b/i,
  /(?:اوردر|الاوردر|طلب|الطلب|طلبيه|الطلبيه|رقم الطلب|رقم الاوردر|الشحنه|بوليصه)\s*(?:رقم|نمره)?\s*:?\s*([a-z]{0,3}\d{3,12})/i,
  /(?:رقم|نمره|rakam|raqam|nemra)\s*:?\s*(\d{4,12})/i,
]

export function extractOrderNumber(text: string): string | null {
  // Light folding only: "#", "-" and letters are part of order references
  const folded = asciiDigits(text).toLowerCase().replace(/[أإآ]/g, 'ا').replace(/ة/g, 'ه')
  for (const pattern of ORDER_NUMBER_PATTERNS) {
    const match = pattern.exec(folded)
    if (match) return match[1].toUpperCase()
  }
  return null
}

/* "للقاهره", "فاسكندريه", "in alex": Arabic prefixes only; Latin spellings match whole words */
const CITY_PREFIXES = ['', 'و', 'ب', 'ل', 'لل', 'ف']
const CITY_INDEX = buildIndex(
  EGYPT_CITIES.flatMap(({ name, spellings }) => spellings.map((spelling) => ({ name, spelling }))),
  CITY_PREFIXES,
  ['']
)

export function extractCity(text: string): string | null {
  const [first] = findNames(tokens(normalize(text)), CITY_INDEX, CITY_PREFIXES, [''])
  return first?.name ?? null
}

const ADDRESS_PATTERNS = [
  /(?:my address is|address is|address:|deliver to|ship to|send (?:it )?to)\s*:?\s*([^\n.!?]{6,140})/i,
  /(?:عنواني|العنوان|عنوان التوصيل|وصلوه علي|ابعتوه علي|التوصيل علي)\s*:?\s*([^\n.!؟?]{6,140})/,
  /(?:3enwany|3nwany|el 3enwan|el3enwan)\s*:?\s*([^\n.!?]{6,140})/i,
  /((?:\d{1,4}\s+)?(?:شارع|ش\.|st\.?|street|sharea|shar3)\s+[^\n.!?؟]{3,120})/i,
]

export function extractAddress(text: string): string | null {
  for (const pattern of ADDRESS_PATTERNS) {
    const match = pattern.exec(text)
    if (match) return match[1].trim()
  }
  return null
}

export function extractEntities(text: string, products: Product[]): Entities {
  return {
    products: extractProducts(text, products),
    orderNumber: extractOrderNumber(text),
    city: extractCity(text),
    address: extractAddress(text),
  }
}
