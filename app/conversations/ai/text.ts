/*
 * Text normalisation shared by the classifier, the rules and the entity extractor. Arabic is
 * folded the way people actually type it on phones: hamza forms, taa marbuta and alef maqsura
 * vary between writers, and digits come in Arabic-Indic or Latin form.
 */
import type { Language, ReplyLanguage } from '#conversations/ai/types'

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g
const DIACRITICS = /[\u064B-\u0652\u0670\u0640]/g
const ARABIC_LETTER = /[\u0621-\u064A]/g
const LATIN_LETTER = /[a-z]/gi

/** Arabic-Indic and Persian digits to ASCII, so "١٥" and "15" match the same rules. */
export function asciiDigits(text: string) {
  return text.replace(ARABIC_INDIC, (digit) => {
    const code = digit.charCodeAt(0)
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660)
  })
}

/* One message is normalised by the rules, the classifier and the extractor in turn: remember a few */
const recent = new Map<string, string>()

/** Lower case, ASCII digits, folded Arabic letters, no diacritics or elongation, one space. */
export function normalize(text: string) {
  let folded = recent.get(text)
  if (folded === undefined) {
    if (recent.size >= 32) recent.clear()
    folded = fold(text)
    recent.set(text, folded)
  }
  return folded
}

function fold(text: string) {
  return (
    asciiDigits(text)
      .toLowerCase()
      .replace(DIACRITICS, '')
      .replace(/[أإآٱ]/g, 'ا')
      .replace(/ى/g, 'ي')
      .replace(/ة/g, 'ه')
      .replace(/ؤ/g, 'و')
      .replace(/ئ/g, 'ي')
      .replace(/[\u2019\u2018`´]/g, "'")
      // "heyyyy", "ازيكككك": three or more of a letter count as two
      .replace(/(\p{L})\1{2,}/gu, '$1$1')
      .replace(/[.,!?;:"()[\]{}،؛؟…\-_/\\*+=<>|~^]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  )
}

export function tokens(normalized: string) {
  return normalized.length ? normalized.split(' ') : []
}

/* Words that only appear when Egyptian Arabic is written in Latin letters */
const FRANCO_WORDS = new Set(
  (
    'ana enta enti ento inta inti howa heya e7na ehna 3ayez 3ayza 3awez 3awza ayez ayza awez ' +
    'fein fen feen fin emta imta ezay ezzay izay ezayak ezayek leh leih eih eh ih msh mesh mish ' +
    'mafeesh mafish ma3lesh keda kda kaman bardo lesa lessa ba2a ba2alo tab tayeb tamam 5alas ' +
    'khalas yalla ya3ni 3shan 3alashan 3lshan alashan momken mumkin wala walla di da dah deh ' +
    'elli illi el bta3 beta3 bta3y 7aga 7aja 7agat hena henak awy awi gedan 3ndk 3andak 3andi ' +
    '3ndi 3andy 3ndy 3omry bkam b2ad kam ad eshta sa7 shokran mersi habibi 7abibi ya wla law ' +
    'odam abl ba3d delwa2ty dlw2ty delwa2ti nafs 3amal 3amalt ba3at ba3atly wasal wasalt ' +
    'lsa bt3ml bta3ml ma3aya m3aya m3ak ma3ak kol mn men 3la 3ala fel fe fi zay yom bokra ' +
    'enharda naharda el7a2 wa7ed etnen talata arba3a 5amsa'
  ).split(' ')
)

/** Latin-letter tokens that are placeholders or units, not language evidence */
const NEUTRAL_LATIN = /^(phone|email|card|national|id|egp|le|kg|cm|xl|xxl|l|m|s|ok|okay)$/

export function detectLanguage(text: string): Language {
  const normalized = normalize(text)
  const arabic = (normalized.match(ARABIC_LETTER) ?? []).length
  const latinWords = tokens(normalized.replace(/[^a-z0-9' ]+/g, ' ').trim()).filter(
    (word) => /[a-z]/.test(word) && !NEUTRAL_LATIN.test(word)
  )
  const latin = latinWords.join('').replace(/[^a-z]/g, '').length
  if (arabic === 0 && latin === 0) return 'en'
  if (arabic > 0 && latin >= 3 && latin / (arabic + latin) >= 0.15) return 'mixed'
  if (arabic > 0 && arabic >= latin) return 'ar'
  const francoHits = latinWords.filter(
    (word) => FRANCO_WORDS.has(word) || /[a-z][2375689]|[2375689][a-z]/.test(word)
  ).length
  if (francoHits >= 2 || (francoHits === 1 && latinWords.length <= 3)) return 'franco'
  return 'en'
}

/** Replies go out in Arabic for Arabic, Franco-Arabic and Arabic-led mixed messages. */
export function replyLanguageFor(text: string, language: Language): ReplyLanguage {
  if (language === 'ar' || language === 'franco') return 'ar'
  if (language === 'en') return 'en'
  const normalized = normalize(text)
  const arabic = (normalized.match(ARABIC_LETTER) ?? []).length
  const latin = (normalized.match(LATIN_LETTER) ?? []).length
  return arabic >= latin ? 'ar' : 'en'
}
