// Follows a report-generation job: polls its status, offers the download when it is done, and
// then retitles the panel and refreshes the list of reports in place.
;(function () {
  const panel = document.getElementById('report-job')
  if (!panel) return
  const title = panel.querySelector('h2')
  const bar = panel.querySelector('.progress')
  const fill = bar.querySelector('span')
  const status = panel.querySelector('[data-job-status]')
  const result = panel.querySelector('[data-job-result]')
  const link = panel.querySelector('[data-job-download]')
  const untitled = window.pageText(panel, 'untitled')

  function show(percent, text) {
    fill.style.width = percent + '%'
    bar.setAttribute('aria-valuenow', String(percent))
    status.textContent = text
  }

  // The list as the server renders it now (same filters, without the job), swapped in place
  async function refreshList() {
    const list = document.getElementById('report-list')
    if (!list) return
    const url = new URL(window.location.href)
    url.searchParams.delete('job')
    try {
      const response = await fetch(url, { headers: { accept: 'text/html' } })
      if (!response.ok) return
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const fresh = page.getElementById('report-list')
      if (fresh) list.replaceWith(document.importNode(fresh, true))
    } catch {
      // The list stays as it was; the download link above still works
    }
  }

  async function poll() {
    let job
    try {
      const response = await fetch(panel.dataset.statusUrl, {
        headers: { accept: 'application/json' },
      })
      if (!response.ok) throw new Error(String(response.status))
      job = await response.json()
    } catch {
      show(0, window.pageText(panel, 'retrying'))
      return setTimeout(poll, 3000)
    }
    if (job.state === 'completed') {
      show(100, window.pageText(panel, 'done', { document: job.documentId }))
      title.textContent = window.pageText(panel, 'ready', { title: job.title || untitled })
      panel.dataset.jobState = 'completed'
      link.href = job.downloadUrl
      result.hidden = false
      await refreshList()
      return
    }
    if (job.state === 'failed') {
      title.textContent = window.pageText(panel, 'failedTitle', { title: job.title || untitled })
      panel.dataset.jobState = 'failed'
      show(job.progress || 0, window.pageText(panel, 'failed', { error: job.error || '' }))
      return
    }
    show(
      job.progress || 0,
      job.state === 'active'
        ? window.pageText(panel, 'generating', { percent: job.progress || 0 })
        : window.pageText(panel, 'queued')
    )
    setTimeout(poll, 1000)
  }
  show(0, window.pageText(panel, 'queued'))
  poll()
})()
