// Retention page: rows purged and held per purge run, from the JSON the page embeds.
;(function () {
  const data = document.getElementById('purge-runs-data')
  const canvas = document.getElementById('purge-runs-chart')
  if (!data || !canvas || !window.Chart) return
  const runs = JSON.parse(data.textContent)
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: runs.map((run) => run.label),
      datasets: [
        {
          label: window.pageText(canvas, 'purged'),
          data: runs.map((run) => run.purged),
          backgroundColor: '#0b5cad',
        },
        {
          label: window.pageText(canvas, 'held'),
          data: runs.map((run) => run.held),
          backgroundColor: '#8a5300',
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  })
})()
