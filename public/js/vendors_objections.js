// Objections page: stacked bars of objections per subprocessor by status, from the embedded JSON.
;(function () {
  const data = document.getElementById('objections-data')
  const canvas = document.getElementById('objections-chart')
  if (!data || !canvas || !window.Chart) return
  const rows = JSON.parse(data.textContent)
  const series = [
    ['open', '#8a5300'],
    ['upheld', '#a4161a'],
    ['rejected', '#2f5d8a'],
    ['withdrawn', '#6b7785'],
  ]
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.subprocessor),
      datasets: series.map(([key, color]) => ({
        label: window.pageText(canvas, key),
        data: rows.map((row) => row[key]),
        backgroundColor: color,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  })
})()
