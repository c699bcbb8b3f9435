/* Key inventory: live rotation progress and the subject-key chart. */
(function () {
  function describe(box, p) {
    var labels = JSON.parse(box.dataset.statusLabels || '{}')
    return window.pageText(box, 'progress', {
      from: p.fromVersion,
      to: p.toVersion,
      status: labels[p.status] || p.status,
      percent: p.percent,
      subjectsDone: p.subjectKeysDone,
      subjectsTotal: p.subjectKeysTotal,
      rowsDone: p.rowsDone,
      rowsTotal: p.rowsTotal,
    })
  }

  function poll(box) {
    fetch(box.dataset.rotationUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (p) {
        if (!p) return
        var bar = box.querySelector('.progress')
        bar.setAttribute('aria-valuenow', String(p.percent))
        bar.querySelector('span').style.width = p.percent + '%'
        box.querySelector('.rotation-status').textContent = describe(box, p) + (p.error ? ' — ' + p.error : '')
        if (p.status === 'queued' || p.status === 'running') setTimeout(function () { poll(box) }, 2000)
      })
      .catch(function () {})
  }

  document.querySelectorAll('.rotation[data-rotation-url]').forEach(function (box) {
    if (box.dataset.status === 'queued' || box.dataset.status === 'running') poll(box)
  })

  var data = document.getElementById('subject-keys-data')
  var canvas = document.getElementById('subject-keys-chart')
  if (data && canvas && window.Chart) {
    var rows = JSON.parse(data.textContent)
    new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map(function (r) { return r.label }),
        datasets: [
          { label: window.pageText(canvas, 'active'), data: rows.map(function (r) { return r.active }), backgroundColor: '#0b5cad' },
          { label: window.pageText(canvas, 'destroyed'), data: rows.map(function (r) { return r.destroyed }), backgroundColor: '#a4161a' },
        ],
      },
      options: { responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    })
  }
})()
