/*
 * Rules for the intents the router must honour whatever the classifier thinks, and even when
 * the guard refuses AI processing: opt-out (WhatsApp Business Messaging Policy), a data-rights
 * request, a suspected minor, a human request and a complaint. They run on normalised text
 * (`#conversations/ai/text`), so hamza/taa marbuta variants and Arabic-Indic digits match.
 */
import { normalize } from '#conversations/ai/text'
import type { Signals } from '#conversations/ai/types'

export type RuleSignals = Omit<Signals, 'lowConfidence'>

/* A message that is only one of these means "stop messaging me" */
const OPT_OUT_WHOLE = new Set([
  'stop',
  'stop all',
  'stop please',
  'please stop',
  'stop msgs',
  'stop msg',
  'stop messages',
  'stop it',
  'unsubscribe',
  'unsub',
  'opt out',
  'optout',
  'cancel subscription',
  'الغاء',
  'الغي',
  'الغاء الاشتراك',
  'ايقاف',
  'وقف',
  'اوقف',
  'بس',
  'بطل',
  'كفايه',
  'stopp',
  'ستوب',
])

const OPT_OUT_PATTERNS = [
  /\bstop (sending|messaging|texting|contacting|spamming)\b/,
  /\b(do ?n[o']?t|dont|never) (message|text|contact|msg|whatsapp|send) (me|us)\b/,
  /\b(don'?t|do not|stop) send(ing)? (me )?(any ?more|more|messages|msgs|offers|promos?)\b/,
  /\bunsubscribe\b/,
  /\bopt(ing)? ?out\b/,
  /\bremove (me|my number) from\b/,
  /\b(no|stop) more (messages|msgs|texts|offers)\b/,
  /\bleave me alone\b/,
  /(مش|مو|ما) ?(عايز|عاوز|عايزه|عاوزه|بدي|محتاج|محتاجه) (اي )?(رسايل|رسائل|رساله|عروض|اشعارات|مسجات)/,
  /(بطل|بطلوا|بطلو|كفايه|كفاية|وقفوا|وقفو|اوقفوا) ?(تبعت|تبعتو|تبعتوا|ابعت|رسايل|رسائل|مسجات|ازعاج|بعت)/,
  /(الغاء|الغي|الغوا|ايقاف|وقف|اوقف|شيل|شيلوا) (الاشتراك|اشتراكي|الرسايل|الرسائل|المسجات|العروض|رقمي من)/,
  /(ما ?تبعتليش|ما ?تبعتوليش|متبعتليش|متبعتوليش|ما ?تبعتوش|ماتراسلونيش|لا ترسلوا|لا ترسل)/,
  /\b(matb3atlish|matb3atleesh|matba3toolish|mat(a)?b3atoosh|batlo|batalo|bate?l) ?(rasayel|rasa2el|msgs|messages|tb3at|teb3ato)?\b/,
  /\b(msh|mesh|mish) (3ayez|3ayza|3awez|ayez|3awza) (rasayel|rasa2el|messages|msgs|offers|3orood)\b/,
]

const DATA_RIGHTS_PATTERNS = [
  /\b(delete|erase|remove|wipe|purge|destroy) (all )?(of )?(my|our) (personal )?(data|info|information|details|account|records|number|history|chats?|conversations?|messages)\b/,
  /\b(delete|erase|remove|wipe) (all )?(the )?(data|info|information|records) (you have |you hold |you keep )?(on|about|of) me\b/,
  /\bright to (be forgotten|erasure|access|deletion)\b/,
  /\b(what|which) (personal )?(data|information|info) (do )?you (have|hold|keep|store|got) (on|about|of) me\b/,
  /\b(copy|export|download) of (all )?my (personal )?(data|information|info)\b/,
  /\b(gdpr|dsar|subject access request|data protection request)\b/,
  /\b(forget|forgot) me\b/,
  /(امسح|امسحوا|امسحو|احذف|احذفوا|احذفو|الغوا|شيل|شيلوا|شيلو|امحي|امحوا|مسح|حذف) (كل )?(بياناتي|البيانات بتاعتي|بيانات|معلوماتي|المعلومات بتاعتي|رقمي|حسابي|داتا|الداتا بتاعتي|الداتا|محادثاتي|الشات)/,
  /(ايه|اي|ايش|انهي) (البيانات|المعلومات|الداتا) (اللي|الي|التي) (عندكم|معاكم|عندكو|محتفظين)/,
  /(نسخه|نسخة) من (بياناتي|البيانات|معلوماتي)/,
  /(حقي في|حماية) (البيانات|بياناتي|الخصوصيه)/,
  /\b(ems7|em7|2mse7|imsa7|ems7o|emsa7o|e7zef|e7zfo|shel|shelo) (kol )?(el )?(bayanaty|bayanat|data|el data|rakamy|raqmy|ma3lomaty)\b/,
]

/* An age below 18 stated by the writer: "I'm 15", "عندي ١٥ سنة", "3omry 14" */
const AGE_PATTERNS = [
  /\b(?:i'?m|i am|im|am) (?:only |just |now )?(\d{1,2})(?: (?:years?|yrs?|y\/?o|yo)(?: old)?)?(?= |$)(?! (?:minutes?|mins?|min|km|hours?|hrs?|days?|pieces?|items?|egp|le|pounds?|%|kg|cm|away|late|euros?|dollars?))/,
  /\b(\d{1,2}) ?(?:years? old|yrs? old|y\/o|yo)\b/,
  /\b(?:my age is|age is|age|aged) (\d{1,2})\b/,
  /(?:عندي|عمري|سني|سنى|انا|انا عندي|انا عمري) (\d{1,2}) ?(?:سنه|سنين|سنوات|عام|سنة)/,
  /(?:عمري|سني) (\d{1,2})\b/,
  /\b(?:3andy|3andi|3ndy|3ndi|3omry|3omri|omry|ana) (\d{1,2}) ?(?:sana|sanin|snin|years?|sneen|sanawat)\b/,
  /\b(?:3omry|3omri|omry|sene|seny) (\d{1,2})\b/,
]

const ARABIC_AGE_WORDS: Record<string, number> = {
  عشر: 10,
  عشره: 10,
  حداشر: 11,
  احداشر: 11,
  اتناشر: 12,
  اطناشر: 12,
  تلتاشر: 13,
  ثلاثتاشر: 13,
  اربعتاشر: 14,
  اربعطاشر: 14,
  خمستاشر: 15,
  خمسطاشر: 15,
  ستاشر: 16,
  سطاشر: 16,
  سبعتاشر: 17,
  سبعطاشر: 17,
}
const ARABIC_AGE_WORD_PATTERN = new RegExp(
  `(?:عندي|عمري|سني|انا) (${Object.keys(ARABIC_AGE_WORDS).join('|')}) (?:سنه|سنين|سنوات|عام)`
)

const HUMAN_PATTERNS = [
  /\b(talk|speak|chat) (to|with) (a |an |some |the )?(real |actual |live )?(human|person|agent|someone|somebody|representative|rep|customer service|support|manager|employee|staff|operator)\b/,
  /\b(real|actual|live) (person|human|agent)\b/,
  /\b(human|agent|representative) (please|pls|plz)\b/,
  /\b(connect|transfer|put) me (to|with|through)\b/,
  /\b(not|no) (a )?(bot|robot|machine)\b/,
  /\bcall me\b/,
  /(اكلم|اتكلم مع|اتواصل مع|كلموني|كلمني|حولني|حولوني) ?(حد|موظف|انسان|بني ادم|بنى ادم|خدمه العملاء|مدير|المدير|حضرتك|مسؤول|المسؤول|الدعم|شخص)/,
  /(عايز|عاوز|محتاج|ممكن|اريد|بدي) (حد|موظف|انسان|بني ادم|خدمه العملاء|مسؤول|شخص) (حقيقي|يكلمني|يرد|من عندكم)/,
  /(مش عايز|مش عاوز|مش عايزه) (اكلم|اتكلم مع) (بوت|روبوت|الي|آلي)/,
  /\b(akalem|a2alem|atkalem ma3|kalemny|kalmony|kallemny|kalimni) (7ad|had|7add|mowazaf|mowazzaf|agent|human|el modeer|modir|customer service|insan|bani adam)\b/,
  /\b(3ayez|ayez|3awez|3ayza|3awza|mehtag|m7tag) (7ad|had|mowazaf|agent|human|insan) (ykalemny|yekalemni|ykalmni|yerod|yrod|7a2e2y|haqiqi)\b/,
]

const COMPLAINT_PATTERNS = [
  /\b(complain|complaint|complaining|scam|scammed|fraud|ripoff|rip off|worst|terrible|horrible|awful|unacceptable|disgusting|pathetic|ridiculous|disappointed|disappointing|useless)\b/,
  /(شكوي|شكوه|اشتكي|هشتكي|حشتكي|نصب|نصابين|حراميه|حرامية|زفت|مش محترمين|قرف|مهزله|فضيحه|خدمه سيئه|اسوا|أسوأ|مستفز|محترمين خالص)/,
  /\b(nasb|nasabeen|naseb|zeft|mosh mo7tarameen|msh mo7tarmin|2araf|araf|ashteky|hashteky|shakwa)\b/,
  /[😡🤬👎]/u,
]

function firstAge(text: string): number | null {
  for (const pattern of AGE_PATTERNS) {
    const match = pattern.exec(text)
    if (match) return Number(match[1])
  }
  const word = ARABIC_AGE_WORD_PATTERN.exec(text)
  return word ? ARABIC_AGE_WORDS[word[1]] : null
}

/** Rule-based signals; `normalized` must come from `normalize()` (pass it when you have it). */
export function detectSignals(text: string, normalized = normalize(text)): RuleSignals {
  const age = firstAge(normalized)
  return {
    optOut: OPT_OUT_WHOLE.has(normalized) || OPT_OUT_PATTERNS.some((p) => p.test(normalized)),
    dataRightsRequest: DATA_RIGHTS_PATTERNS.some((p) => p.test(normalized)),
    suspectedMinor: age !== null && age >= 5 && age < 18 ? { age } : null,
    humanRequest: HUMAN_PATTERNS.some((p) => p.test(normalized)),
    complaint: COMPLAINT_PATTERNS.some((p) => p.test(normalized)),
  }
}
