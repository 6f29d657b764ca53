// Print buttons: a button with data-print prints the page.
document.addEventListener('click', (e) => {
  if (e.target.closest('[data-print]')) window.print();
});
