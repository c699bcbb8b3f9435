/* Console behaviour shared by every page: confirmation before destructive actions,
   searchable pick lists, navigation menus that close like menus, and the page's words for the
   other scripts. Plain DOM, no CDN, runs under the CSP's script nonce, before the page's own
   scripts. */
(function () {
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined)

  // Scripts write no words of their own: the view renders them with t() into data-text-*
  // attributes, leaving {placeholders} for the script to fill (numbers in the page's digits)
  window.pageText = function (element, name, values) {
    var text = (element && element.dataset['text' + name.charAt(0).toUpperCase() + name.slice(1)]) || ''
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      if (!values || values[key] === undefined || values[key] === null) return whole
      return typeof values[key] === 'number' ? numbers.format(values[key]) : String(values[key])
    })
  }

  var dialog = document.getElementById('confirm-dialog')
  var ok = document.getElementById('confirm-dialog-ok')
  // The layout words the button in the page's language; a form may name its own action
  var okLabel = ok ? ok.textContent : ''

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
    ok.textContent = form.dataset.confirmLabel || okLabel
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
