// keygate's browsable API: sends forms marked data-method with that method, the CSRF token in the
// X-CSRFToken header and Accept: text/html, then shows the response page in place of this one
// (DRF's ajax-form.js, without jQuery). The HTML form's POST works without this script.
(function () {
  'use strict';

  function requestFor(form, submitter) {
    var method = (
      (submitter && submitter.getAttribute('data-method')) ||
      form.getAttribute('data-method')
    ).toUpperCase();
    var token = form.elements.namedItem('csrfmiddlewaretoken');
    var headers = { Accept: 'text/html', 'X-CSRFToken': token ? token.value : '' };
    var body;
    if (form.hasAttribute('data-raw')) {
      headers['Content-Type'] = form.elements.namedItem('_content_type').value;
      body = form.elements.namedItem('_content').value;
    } else if (method !== 'DELETE' && method !== 'OPTIONS') {
      var data = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (name !== 'csrfmiddlewaretoken' && typeof value === 'string') data.append(name, value);
      });
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = data.toString();
    }
    return { method: method, headers: headers, body: body, credentials: 'same-origin' };
  }

  function show(html, isHtml) {
    var doc;
    if (isHtml) {
      doc = new DOMParser().parseFromString(html, 'text/html');
    } else {
      doc = document.implementation.createHTMLDocument('Response');
      var pre = doc.createElement('pre');
      pre.textContent = html;
      doc.body.appendChild(pre);
    }
    document.replaceChild(document.adoptNode(doc.documentElement), document.documentElement);
    bind();
    var main = document.getElementById('main');
    if (main) main.focus();
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    event.preventDefault();
    var submitter = event.submitter || null;
    if (submitter) submitter.disabled = true;
    fetch(form.getAttribute('action'), requestFor(form, submitter))
      .then(function (response) {
        var type = response.headers.get('content-type') || '';
        return response.text().then(function (text) {
          show(text, type.indexOf('text/html') === 0);
        });
      })
      .catch(function (error) {
        if (submitter) submitter.disabled = false;
        window.console.error(error);
      });
  }

  function bind() {
    var forms = document.querySelectorAll('form[data-method]');
    for (var i = 0; i < forms.length; i++) forms[i].addEventListener('submit', onSubmit);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', bind);
  else bind();
})();
