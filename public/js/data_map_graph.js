/* Draws the data-map graph with the locally served cytoscape; no inline script (CSP). */
;(function () {
  const container = document.getElementById('data-map-graph')
  const status = document.getElementById('data-map-graph-status')
  if (!container || typeof window.cytoscape !== 'function') return

  fetch(container.dataset.source, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  })
    .then((response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status)
      return response.json()
    })
    .then((graph) => {
      // Three columns, left to right as the data travels: systems, subprocessors, countries
      const columns = { system: 0, subprocessor: 1, country: 2 }
      const rows = { system: 0, subprocessor: 0, country: 0 }
      const counts = { system: 0, subprocessor: 0, country: 0 }
      for (const node of graph.nodes) counts[node.data.kind]++
      const tallest = Math.max(counts.system, counts.subprocessor, counts.country, 1)
      for (const node of graph.nodes) {
        const kind = node.data.kind
        const offset = ((tallest - counts[kind]) * 90) / 2
        node.position = { x: columns[kind] * 360, y: offset + rows[kind]++ * 90 }
      }
      const cy = window.cytoscape({
        container,
        elements: [...graph.nodes, ...graph.edges],
        wheelSensitivity: 0.2,
        style: [
          {
            selector: 'node',
            style: {
              'label': 'data(label)',
              'font-size': 11,
              'color': '#1b2330',
              'text-valign': 'bottom',
              'text-margin-y': 4,
              'text-wrap': 'wrap',
              'text-max-width': 120,
            },
          },
          {
            selector: 'node[kind = "system"]',
            style: {
              'shape': 'round-rectangle',
              'background-color': '#0b5cad',
              'width': 34,
              'height': 24,
            },
          },
          {
            selector: 'node[kind = "subprocessor"]',
            style: { 'shape': 'ellipse', 'background-color': '#c25e00', 'width': 32, 'height': 32 },
          },
          {
            selector: 'node[kind = "country"]',
            style: { 'shape': 'diamond', 'background-color': '#146c2e', 'width': 30, 'height': 30 },
          },
          {
            selector: 'edge',
            style: {
              'width': 1.5,
              'line-color': '#8792a2',
              'target-arrow-color': '#8792a2',
              'target-arrow-shape': 'triangle',
              'curve-style': 'bezier',
              'label': 'data(label)',
              'font-size': 9,
              'color': '#4f5b6b',
              'text-rotation': 'autorotate',
              'text-background-color': '#ffffff',
              'text-background-opacity': 0.8,
            },
          },
          {
            selector: 'edge[kind = "flow"]',
            style: { 'line-color': '#c25e00', 'target-arrow-color': '#c25e00', 'width': 2.5 },
          },
          {
            selector: 'edge[kind = "operates"]',
            style: { 'line-style': 'dashed', 'label': '', 'target-arrow-shape': 'none' },
          },
          { selector: 'edge[kind = "located"]', style: { 'line-style': 'dotted' } },
        ],
        layout: { name: 'preset', padding: 30, fit: true },
      })
      container.dataset.nodeCount = String(cy.nodes().length)
      container.dataset.edgeCount = String(cy.edges().length)
      container.dataset.state = 'ready'
      status.textContent = window.pageText(status, 'drawn', {
        nodes: cy.nodes().length,
        edges: cy.edges().length,
      })
    })
    .catch((error) => {
      container.dataset.state = 'error'
      status.textContent = window.pageText(status, 'failed', { reason: error.message })
    })
})()
