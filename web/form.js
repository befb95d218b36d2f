// The web page's script (handout serve). The form works without it; with it, the preview and the
// messages follow the choices as they change, and the partner's fields show only when they apply.
(function () {
  'use strict';
  var form = document.getElementById('order');
  if (!form || !window.fetch || !window.FormData) return;
  var img = document.getElementById('preview-img');
  var none = document.getElementById('preview-none');
  var summary = document.getElementById('summary');
  var product = document.getElementById('product');
  var partner = document.getElementById('partner');
  var timer = null, serial = 0;

  function showPartner() {
    var opt = product.options[product.selectedIndex];
    partner.hidden = !(opt && opt.getAttribute('data-partner') === 'yes');
  }

  function clearMessages() {
    var boxes = form.parentNode.querySelectorAll('.msgs');
    for (var i = 0; i < boxes.length; i++) boxes[i].textContent = '';
    var bad = form.querySelectorAll('[aria-invalid]');
    for (var j = 0; j < bad.length; j++) bad[j].removeAttribute('aria-invalid');
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

  function preview() {
    var mine = ++serial;
    document.body.classList.add('busy');
    fetch('/preview.json', { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== serial) return;
        clearMessages();
        (data.messages || []).forEach(addMessage);
        if (data.image) {
          img.src = data.image;
          img.alt = 'The first page of the PDF, as it will print';
          img.hidden = false;
          if (none) none.hidden = true;
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

  product.addEventListener('change', showPartner);
  form.addEventListener('change', later);
  form.addEventListener('input', function (e) { if (e.target.type !== 'file') later(); });
  showPartner();
  preview();
})();
