/* Renders the OpenAPI document with swagger-ui (served from node_modules, no CDN). */
;(function () {
  const root = document.getElementById('swagger-ui')
  if (!root || !window.SwaggerUIBundle) return
  window.SwaggerUIBundle({
    url: root.dataset.url,
    domNode: root,
    deepLinking: true,
    tryItOutEnabled: false,
    // Validation would call the public validator service; the page stays offline
    validatorUrl: null,
  })
})()
