// The staff page's script (handout serve --staff-token). The page works without it; with it, a
// build shows its progress: once the Build form is sent, and until its answer (the order's page
// again) arrives, the script asks GET /staff/progress/ORDER twice a second and says how many of
// the job's items are built.
(function () {
  'use strict';
  var form = document.getElementById('form-build');
  var out = document.getElementById('build-progress');
  if (!form || !out || !window.fetch) return;
  var order = form.querySelector('input[name=order]').value;
  var timer = null;

  function show(p) {
    if (!p || !p.building) return;
    out.textContent = 'Building: ' + p.done + ' of ' + p.total + (p.total === 1 ? ' item' : ' items') +
      ' done (' + Math.round(p.seconds) + ' s)';
  }

  function poll() {
    fetch('/staff/progress/' + encodeURIComponent(order), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () {});
  }

  form.addEventListener('submit', function () {
    out.textContent = 'Building…';
    if (timer === null) timer = setInterval(poll, 500);
    poll();
  });
})();
