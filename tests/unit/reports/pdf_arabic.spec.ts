import { test } from '@japa/runner'
import { renderReport } from '#reports/services/pdf_layout'
import { heading, keyValues, paragraph, table } from '#reports/content'
import { readPdf } from '#tests/helpers/pdf'

const FRAME = {
  documentId: '0b6c7f5e-3f0e-4a57-9d1d-4a8c1e7f2a10',
  kind: 'layout-test',
  title: 'سجل أنشطة المعالجة: شركة النيل للأزياء',
  organisation: 'Conversera Ltd',
  generatedAt: new Date('2026-11-30T04:00:00Z'),
  generatedBy: 'account #17',
  merchant: 'شركة النيل للأزياء (nile-fashion)',
}

test.group('Report layout: Arabic', () => {
  test('Arabic prints shaped, right to left and mixed with English; nothing becomes "?"', async ({
    assert,
  }) => {
    const pdf = await renderReport(FRAME, {
      blocks: [
        heading('الأنشطة'),
        paragraph('The merchant شركة النيل للأزياء ships orders to القاهرة and Alexandria.'),
        keyValues([['الجهة المختصة', 'الجهاز القومي لتنظيم الاتصالات']]),
        table(
          ['System', 'النظام'],
          [
            ['CRM', 'نظام إدارة العملاء (CRM) رقم 42'],
            ['Ledger', 'دفتر الحسابات'],
          ]
        ),
      ],
    })
    const { text } = await readPdf(pdf)
    assert.notInclude(text, '?')
    assert.include(text, 'شركة النيل للأزياء')
    assert.include(text, 'الجهاز القومي لتنظيم الاتصالات')
    assert.include(text, 'دفتر الحسابات')
    assert.include(text, 'The merchant')
    assert.include(text, 'Alexandria')
  })

  test('a long mixed paragraph wraps inside the page and keeps every word', async ({ assert }) => {
    const sentence = 'Orders from شركة النيل للأزياء reach the CRM within one day.'
    const long = Array.from({ length: 60 }, () => sentence).join(' ')
    const hugeWord = 'x'.repeat(5000)
    const pdf = await renderReport(FRAME, {
      blocks: [paragraph(long), table(['Value'], [[hugeWord]])],
    })
    const { text, totalPages } = await readPdf(pdf)
    assert.isAbove(totalPages, 1)
    // 60 in the paragraph, plus the title, the merchant line and each page's running header
    assert.equal(text.split('شركة النيل للأزياء').length - 1, 60 + 2 + totalPages)
    assert.include(text.replace(/\s+/g, ''), hugeWord)
  })
})
