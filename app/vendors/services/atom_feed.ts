import { DateTime } from 'luxon'
import type ChangeNotice from '#vendors/models/change_notice'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

export function xmlEscape(text: string) {
  // Characters XML 1.0 forbids outright are dropped rather than escaped
  const allowed = [...text].filter((c) => {
    const code = c.codePointAt(0)!
    return (
      code === 0x09 ||
      code === 0x0a ||
      code === 0x0d ||
      (code >= 0x20 && code !== 0xfffe && code !== 0xffff)
    )
  })
  return allowed.join('').replace(/[&<>"']/g, (c) => ENTITIES[c])
}

const iso = (value: DateTime) =>
  value.toUTC().startOf('second').toISO({ suppressMilliseconds: true })!

/** An Atom 1.0 feed (RFC 4287) of subprocessor change notices, newest first. */
export function atomFeed(notices: ChangeNotice[], urls: { selfUrl: string; pageUrl: string }) {
  const updated = notices[0]?.publishedAt ?? DateTime.fromISO('2026-01-01T00:00:00Z')
  const entries = notices.map((notice) => {
    const name = notice.subprocessor?.name ?? `Subprocessor ${notice.subprocessorId}`
    const lines = [notice.summary]
    for (const change of notice.changes) {
      lines.push(`${change.field}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`)
    }
    if (notice.objectionDeadline) lines.push(`Objections until ${iso(notice.objectionDeadline)}.`)
    return [
      '  <entry>',
      `    <id>urn:conversera:subprocessor-notice:${notice.id}</id>`,
      `    <title>${xmlEscape(`${notice.kind[0].toUpperCase()}${notice.kind.slice(1)}: ${name}`)}</title>`,
      `    <updated>${iso(notice.publishedAt)}</updated>`,
      `    <published>${iso(notice.publishedAt)}</published>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(urls.pageUrl)}"/>`,
      `    <category term="${notice.kind}"/>`,
      `    <summary type="text">${xmlEscape(lines.join('\n'))}</summary>`,
      '  </entry>',
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '  <id>urn:conversera:subprocessors</id>',
    '  <title>Conversera subprocessor changes</title>',
    `  <updated>${iso(updated)}</updated>`,
    '  <author><name>Conversera Technologies</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(urls.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(urls.pageUrl)}"/>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n')
}
