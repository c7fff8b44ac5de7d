/* global document, window, FormData */
// Multipart forms carry the CSRF token in the X-CSRF-Token header (read from the page's meta tag).
(function () {
  var form = document.getElementById('avatar-form');
  var status = document.getElementById('avatar-status');
  if (!form) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var token = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
    status.textContent = 'Uploading…';
    fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { 'X-CSRF-Token': token, Accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (response) {
        if (response.ok) return window.location.reload();
        return response.json().then(function (error) {
          status.textContent =
            response.status === 413
              ? 'That file is larger than 1 MiB.'
              : error.message || 'Upload failed.';
        });
      })
      .catch(function () {
        status.textContent = 'Upload failed.';
      });
  });
})();
