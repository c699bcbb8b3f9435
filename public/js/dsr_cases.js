// DSR case list: open cases by status and by days to deadline, from the embedded JSON.
;(function () {
  const data = document.getElementById('dsr-chart-data')
  const canvas = document.getElementById('dsr-chart')
  if (!data || !canvas || !window.Chart) return
  const { status, deadline } = JSON.parse(data.textContent)
  const labels = [...status.map((row) => row.label), ...deadline.map((row) => row.label)]
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: status.length ? document.querySelector('caption')?.textContent : '',
          data: [...status.map((row) => row.value), ...deadline.map(() => null)],
          backgroundColor: '#2f5d8a',
        },
        {
          label: document.querySelectorAll('caption')[1]?.textContent ?? '',
          data: [...status.map(() => null), ...deadline.map((row) => row.value)],
          backgroundColor: deadline.map((_, i) => (i === 0 ? '#a4161a' : '#8a5300')),
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
