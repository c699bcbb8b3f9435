/*
 * A strict checker for the XML subset our feeds use (declaration, elements, attributes, text,
 * the five predefined entities and numeric references; no DTD, CDATA or comments). It throws
 * on anything not well-formed and returns a small element tree for assertions.
 */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = /^[A-Za-z_][\w.:-]*/
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g

function decode(raw: string, where: string) {
  if (/[<]/.test(raw)) throw new Error(`raw "<" in ${where}`)
  const stripped = raw.replace(ENTITY, '')
  if (stripped.includes('&')) throw new Error(`bare "&" in ${where}`)
  return raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
}

export function parseXml(source: string): XmlElement {
  let rest = source.replace(/^<\?xml[^?]*\?>\s*/, '')
  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  while (rest.length) {
    if (rest.startsWith('</')) {
      const match = rest.match(/^<\/([A-Za-z_][\w.:-]*)\s*>/)
      if (!match) throw new Error(`bad end tag near: ${rest.slice(0, 30)}`)
      const open = stack.pop()
      if (!open || open.name !== match[1]) throw new Error(`mismatched </${match[1]}>`)
      rest = rest.slice(match[0].length)
    } else if (rest.startsWith('<')) {
      const name = rest.slice(1).match(NAME)
      if (!name) throw new Error(`bad start tag near: ${rest.slice(0, 30)}`)
      let cursor = 1 + name[0].length
      const element: XmlElement = { name: name[0], attributes: {}, children: [], text: '' }
      for (;;) {
        const attr = rest.slice(cursor).match(/^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/)
        if (!attr) break
        if (attr[1] in element.attributes) throw new Error(`duplicate attribute ${attr[1]}`)
        element.attributes[attr[1]] = decode(attr[2], `attribute ${attr[1]}`)
        cursor += attr[0].length
      }
      const close = rest.slice(cursor).match(/^\s*(\/?)>/)
      if (!close) throw new Error(`unterminated tag <${element.name}>`)
      cursor += close[0].length
      if (stack.length) stack[stack.length - 1].children.push(element)
      else if (root) throw new Error('more than one root element')
      else root = element
      if (!close[1]) stack.push(element)
      rest = rest.slice(cursor)
    } else {
      const end = rest.indexOf('<')
      const text = end === -1 ? rest : rest.slice(0, end)
      if (stack.length)
        stack[stack.length - 1].text += decode(text, `<${stack[stack.length - 1].name}>`)
      else if (text.trim()) throw new Error('text outside the root element')
      rest = end === -1 ? '' : rest.slice(end)
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`)
  if (!root) throw new Error('no root element')
  return root
}

export function childrenNamed(element: XmlElement, name: string) {
  return element.children.filter((child) => child.name === name)
}

export function childText(element: XmlElement, name: string) {
  return childrenNamed(element, name)[0]?.text
}
