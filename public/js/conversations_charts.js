// Conversation pages: one bar chart per <canvas data-chart="json-id">, from the JSON the page
// embeds ([{ label, value }]); the same numbers are in the table next to each chart.
;(function () {
  if (!window.Chart) return
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    const data = document.getElementById(canvas.getAttribute('data-chart'))
    if (!data) return
    const rows = JSON.parse(data.textContent)
    new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map((row) => row.label),
        datasets: [
          {
            label: canvas.getAttribute('data-series') || '',
            data: rows.map((row) => row.value),
            backgroundColor: canvas.getAttribute('data-color') || '#2f5d8a',
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    })
  })
})()
