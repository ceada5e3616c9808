// The "add token" user picker: suggests usernames as they are typed. Without it, the form still
// takes an exact username.
'use strict';

/** Wait this long after the last keystroke before asking the server. */
const DEBOUNCE_MS = 200;

document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[list][data-user-search]')) {
    const list = document.getElementById(input.getAttribute('list'));
    if (!list) continue;
    let timer = null;
    let pending = null;
    let asked = null;

    const fill = (results) => {
      list.replaceChildren(
        ...results.map((user) => {
          const option = document.createElement('option');
          option.value = user.username;
          return option;
        }),
      );
    };

    const search = async () => {
      const q = input.value.trim();
      if (q === asked) return;
      asked = q;
      pending?.abort();
      if (q === '') {
        fill([]);
        return;
      }
      const controller = new AbortController();
      pending = controller;
      try {
        const url = `${input.dataset.userSearch}?q=${encodeURIComponent(q)}`;
        const response = await fetch(url, {
          headers: { accept: 'application/json' },
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`user search answered ${response.status}`);
        const body = await response.json();
        if (pending === controller && Array.isArray(body.results)) fill(body.results);
      } catch {
        // Aborted by a newer keystroke, or offline (ask again next time): the exact username works.
        if (pending === controller) asked = null;
      }
    };

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(search, DEBOUNCE_MS);
    });
  }
});
