/* Console behaviour shared by every page: confirmation before destructive actions,
   searchable pick lists, and navigation menus that close like menus. Plain DOM, no CDN, runs under the CSP's script nonce. */
(function () {
  var dialog = document.getElementById('confirm-dialog')

  // A form marked data-confirm posts only after the user confirms the named consequence
  document.addEventListener('submit', function (event) {
    var form = event.target
    if (!form.dataset || !form.dataset.confirm || form.dataset.confirmed === 'yes') return
    if (!dialog || typeof dialog.showModal !== 'function') {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault()
      return
    }
    event.preventDefault()
    var submitter = event.submitter
    document.getElementById('confirm-dialog-text').textContent = form.dataset.confirm
    document.getElementById('confirm-dialog-ok').textContent = form.dataset.confirmLabel || 'Confirm'
    dialog.returnValue = ''
    dialog.onclose = function () {
      if (dialog.returnValue !== 'confirm') return
      form.dataset.confirmed = 'yes'
      if (form.requestSubmit) form.requestSubmit(submitter || undefined)
      else form.submit()
    }
    dialog.showModal()
  })

  // A search box above a pick list hides the entries whose text does not contain the term
  document.querySelectorAll('input[data-filter-list]').forEach(function (input) {
    var list = document.getElementById(input.dataset.filterList)
    if (!list) return
    input.hidden = false
    input.addEventListener('input', function () {
      var term = input.value.trim().toLowerCase()
      list.querySelectorAll('[data-search]').forEach(function (entry) {
        entry.hidden = term !== '' && entry.dataset.search.indexOf(term) === -1
      })
    })
  })

  // The navigation's and the account's <details> menus work without this; it closes an open
  // one on Escape (focus back on its summary) and on a click elsewhere
  function openMenus() {
    return document.querySelectorAll('.mainnav details[open], .whoami details[open]')
  }
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return
    openMenus().forEach(function (menu) {
      menu.open = false
      if (menu.contains(document.activeElement)) menu.querySelector('summary').focus()
    })
  })
  document.addEventListener('click', function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false
    })
  })
})()
