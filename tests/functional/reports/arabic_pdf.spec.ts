import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMerchant, merchantUser } from '#tests/helpers/actors'
import reportService from '#reports/services/report_service'
import { readPdf } from '#tests/helpers/pdf'

const run = promisify(execFile)

/** pdftoppm renders a page for a person to look at; machines without poppler skip the picture. */
async function renderFirstPage(pdf: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'hub-arabic-pdf-'))
  try {
    await writeFile(join(dir, 'report.pdf'), pdf)
    await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', 'report.pdf', 'page'], {
      cwd: dir,
    })
    const files = await readdir(dir)
    return files.filter((file) => file.endsWith('.png'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test.group('Reports print Arabic', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a generated report keeps an Arabic merchant name intact, in reading order, beside English', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    merchant.legalName = 'شركة النيل للأزياء ش.م.م'
    await merchant.save()
    await merchantUser(merchant, 'merchant_admin')

    const report = await reportService.generate({
      kind: 'access-review',
      merchant,
      generatedBy: 'account #1',
    })
    const pdf = await reportService.read(report)
    const { text } = await readPdf(pdf)

    assert.include(text, 'شركة النيل للأزياء ش.م.م')
    assert.include(text, `(${merchant.slug})`)
    assert.include(text, 'Access-control review')
    assert.notInclude(text, '?????')

    const pictures = await renderFirstPage(pdf)
    if (pictures) assert.lengthOf(pictures, 1)
  })
})
