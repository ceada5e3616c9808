// The admin's small enhancements; every page works without them.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  // "Copy" buttons: copy the text of the element named by data-copy-target.
  for (const button of document.querySelectorAll('[data-copy-target]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const target = document.getElementById(button.dataset.copyTarget);
      if (!target) return;
      try {
        await navigator.clipboard.writeText(target.textContent.trim());
        button.textContent = 'Copied';
      } catch {
        // No clipboard access (plain HTTP, permissions): select the text for the user instead.
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
    });
  }

  // Lists: a "select all" box in the checkbox column heading.
  for (const table of document.querySelectorAll('table.result-list')) {
    const heading = table.querySelector('th.action-checkbox-column');
    const boxes = table.querySelectorAll('input[name="_selected_action"]');
    if (!heading || boxes.length === 0) continue;
    const all = document.createElement('input');
    all.type = 'checkbox';
    all.setAttribute('aria-label', 'Select all');
    all.addEventListener('change', () => {
      for (const box of boxes) box.checked = all.checked;
    });
    heading.append(all);
  }
});
