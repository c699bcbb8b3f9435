// Follows a report-generation job: polls its status and offers the download when it is done.
;(function () {
  const panel = document.getElementById('report-job')
  if (!panel) return
  const bar = panel.querySelector('.progress')
  const fill = bar.querySelector('span')
  const status = panel.querySelector('[data-job-status]')
  const result = panel.querySelector('[data-job-result]')
  const link = panel.querySelector('[data-job-download]')

  function show(percent, text) {
    fill.style.width = percent + '%'
    bar.setAttribute('aria-valuenow', String(percent))
    status.textContent = text
  }

  async function poll() {
    let job
    try {
      const response = await fetch(panel.dataset.statusUrl, { headers: { accept: 'application/json' } })
      if (!response.ok) throw new Error(String(response.status))
      job = await response.json()
    } catch {
      show(0, 'Could not read the job status; retrying…')
      return setTimeout(poll, 3000)
    }
    if (job.state === 'completed') {
      show(100, 'Done. The report is signed and stored (document ' + job.documentId + ').')
      link.href = job.downloadUrl
      result.hidden = false
      return
    }
    if (job.state === 'failed') {
      show(job.progress || 0, 'Failed: ' + (job.error || 'unknown error'))
      return
    }
    show(job.progress || 0, job.state === 'active' ? 'Generating… ' + (job.progress || 0) + '%' : 'Queued…')
    setTimeout(poll, 1000)
  }
  show(0, 'Queued…')
  poll()
})()
