/*
 * Upload Leerlingbestand, made nicer when JavaScript runs: drop a file on
 * the drop zone, and see a progress bar while it uploads.  Without this
 * script the plain form does exactly the same.  The upload is an ordinary
 * form POST sent with XMLHttpRequest (for its progress events); the answer
 * is the page the plain form would have shown, so the browser goes there.
 */
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var input = document.getElementById('bestand');
  var zone = document.getElementById('dropzone');
  var box = document.getElementById('progress');
  var bar = document.getElementById('progress-bar');
  var text = document.getElementById('progress-text');
  if (!form || !input || !zone || !window.FormData) return;

  zone.classList.add('enhanced');
  ['dragenter', 'dragover'].forEach(function (name) {
    zone.addEventListener(name, function (e) {
      e.preventDefault();
      zone.classList.add('over');
    });
  });
  ['dragleave', 'drop'].forEach(function (name) {
    zone.addEventListener(name, function (e) {
      e.preventDefault();
      zone.classList.remove('over');
    });
  });
  zone.addEventListener('drop', function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length === 1) {
      input.files = e.dataTransfer.files;
      input.dispatchEvent(new Event('change'));
    }
  });

  form.addEventListener('submit', function (e) {
    if (!input.files || input.files.length !== 1) return; /* browser says */
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (p) {
      if (!p.lengthComputable) return;
      var pct = Math.round((p.loaded / p.total) * 100);
      bar.value = pct;
      text.textContent = pct + '%';
    });
    xhr.addEventListener('load', function () {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL) {
        window.location.assign(xhr.responseURL);
      } else {
        /* an error page (refused file, too large): show it as it is */
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener('error', function () {
      form.submit(); /* let the browser try it the plain way */
    });
    box.hidden = false;
    form.querySelector('button[type=submit]').disabled = true;
    xhr.send(new FormData(form));
  });
})();
