// Dashboard: draws the users-by-role bar chart from the JSON the page embeds.
;(function () {
  const data = document.getElementById('roles-data')
  const canvas = document.getElementById('roles-chart')
  if (!data || !canvas || !window.Chart) return
  const rows = JSON.parse(data.textContent)
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.role),
      datasets: [{ label: 'Active users', data: rows.map((row) => row.users), backgroundColor: '#2f5d8a' }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  })
})()
