// The web page's script (handout serve). The form works without it; with it, the preview and the
// messages follow the choices as they change, and the partner's fields show only when they apply,
// as do the notice's state, county and staff languages.
(function () {
  'use strict';
  var form = document.getElementById('order');
  if (!form || !window.fetch || !window.FormData) return;
  var img = document.getElementById('preview-img');
  var none = document.getElementById('preview-none');
  var summary = document.getElementById('summary');
  var product = document.getElementById('product');
  var partner = document.getElementById('partner');
  var logoArea = document.getElementById('logo-area');
  var timer = null, serial = 0, touched = {};

  function showPartner() {
    var opt = product.options[product.selectedIndex];
    partner.hidden = !(opt && opt.getAttribute('data-partner') === 'yes');
    // the logo: wherever the product's layout has a logo area (a partner card, a flyer, a poster)
    if (logoArea) logoArea.hidden = !(opt && opt.getAttribute('data-logo') === 'yes');
  }

  // A notice (an option with data-state) shows the state, and the county or the staff's languages
  // where its law depends on them; choosing a state picks that state's first notice.
  var notice = document.getElementById('notice');
  var state = document.getElementById('state');
  var countyField = document.getElementById('county-field');
  var staffField = document.getElementById('staff-field');
  function showNotice() {
    if (!notice) return;
    var opt = product.options[product.selectedIndex];
    var st = opt ? opt.getAttribute('data-state') : null;
    if (st && state) state.value = st;
    if (!st && state) state.value = '';
    if (countyField) countyField.hidden = !(opt && opt.getAttribute('data-county') === 'yes');
    if (staffField) staffField.hidden = !(opt && opt.getAttribute('data-staff') === 'yes');
  }
  function pickState() {
    if (!state || !state.value) return;
    var opt = product.options[product.selectedIndex];
    if (opt && opt.getAttribute('data-state') === state.value) return;
    for (var i = 0; i < product.options.length; i++) {
      if (product.options[i].getAttribute('data-state') === state.value) {
        product.selectedIndex = i;
        break;
      }
    }
    showPartner();
    showNotice();
  }

  function clearMessages() {
    var boxes = form.parentNode.querySelectorAll('.msgs');
    for (var i = 0; i < boxes.length; i++) boxes[i].textContent = '';
    var bad = form.querySelectorAll('[aria-invalid]');
    for (var j = 0; j < bad.length; j++) bad[j].removeAttribute('aria-invalid');
  }

  // A preview that no longer shows the choices is hidden rather than left up.
  function stale(text) {
    img.hidden = true;
    img.removeAttribute('src');
    if (none) {
      none.textContent = text;
      none.hidden = false;
    }
  }

  function addMessage(m) {
    var box = document.getElementById(m.field + '-msg') || document.getElementById('general-msg');
    var p = document.createElement('p');
    p.className = 'msg ' + m.severity;
    var strong = document.createElement('strong');
    strong.textContent = (m.severity === 'error' ? 'Error' : 'Warning') + ': ';
    p.appendChild(strong);
    p.appendChild(document.createTextNode(m.text));
    box.appendChild(p);
    var input = document.getElementById(m.field);
    if (input && m.severity === 'error') input.setAttribute('aria-invalid', 'true');
  }

  function keepLogo(id) {
    var hidden = form.querySelector('input[name=logo_id]');
    if (!id) return;
    if (!hidden) {
      hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = 'logo_id';
      form.appendChild(hidden);
    }
    hidden.value = id;
    var file = document.getElementById('logo');
    if (file) file.value = '';
  }

  // The partner's details are needed before a partner card can be drawn.
  function missingPartner() {
    if (partner.hidden) return false;
    var agency = document.getElementById('agency'), phone = document.getElementById('local_phone');
    return !agency.value.trim() || !phone.value.trim();
  }

  function preview() {
    var mine = ++serial;
    if (missingPartner()) {
      stale('Fill in the agency\'s name and local number to see the card.');
      summary.textContent = '';
      document.body.classList.remove('busy');
      return;
    }
    document.body.classList.add('busy');
    fetch('/preview.json', { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== serial) return;
        clearMessages();
        (data.messages || []).forEach(function (m) {
          // a field nobody has filled in yet is not an error to announce while they choose
          if (m.field !== 'general' && !touched[m.field] && / found none$/.test(m.text)) return;
          addMessage(m);
        });
        if (data.image) {
          img.src = data.image;
          img.alt = 'The first page of the PDF, as it will print';
          img.hidden = false;
          if (none) none.hidden = true;
        } else {
          stale('The preview will come back once the errors above are put right.');
        }
        summary.textContent = data.summary || '';
        keepLogo(data.logo_id);
      })
      .catch(function () {
        if (mine !== serial) return;
        clearMessages();
        addMessage({ field: 'general', severity: 'error', text: 'The preview could not be fetched; use the Preview button.' });
      })
      .then(function () { if (mine === serial) document.body.classList.remove('busy'); });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(preview, 400);
  }

  function touch(e) {
    if (e.target && e.target.name) touched[e.target.name === 'logo' ? 'logo' : e.target.name] = true;
  }

  product.addEventListener('change', showPartner);
  product.addEventListener('change', showNotice);
  if (state) state.addEventListener('change', pickState);
  form.addEventListener('change', function (e) { touch(e); later(); });
  form.addEventListener('input', function (e) { touch(e); if (e.target.type !== 'file') later(); });
  // a download or an order replaces the page: a preview still to come would be wasted work
  form.addEventListener('submit', function () {
    clearTimeout(timer);
    serial++;
    document.body.classList.remove('busy');
  });
  showPartner();
  showNotice();
  preview();
})();
