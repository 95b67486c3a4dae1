
(function () {
  'use strict';
  document.documentElement.setAttribute('data-js', 'on');
  var table = document.getElementById('summary');
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ''; }
    var k = cell.getAttribute('data-key');
    return k !== null ? k : cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== '' && b !== '' && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.setAttribute('tabindex', '0');
    th.setAttribute('aria-sort', 'none');
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows).map(function (r, i) { return [r, i]; });
      rows.sort(function (p, q) {
        var c = compare(key(p[0], col), key(q[0], col));
        if (!ascending) { c = -c; }
        return c !== 0 ? c : p[1] - q[1];
      });
      rows.forEach(function (p) { body.appendChild(p[0]); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
    });
  });
})();
