// The offline map picker: a click on the jurisdictions' SVG fills latitude and longitude (and
// says which town it is in); typing the numbers moves the mark. No tiles, no network.
(function () {
  function setUp(box) {
    var svg = box.querySelector("svg.picker");
    var lat = box.querySelector("input[data-role=lat]");
    var lng = box.querySelector("input[data-role=lng]");
    var town = box.querySelector("[data-role=town]");
    if (!svg || !lat || !lng) return;
    var x0 = parseFloat(svg.dataset.x0), y1 = parseFloat(svg.dataset.y1);
    var scale = parseFloat(svg.dataset.scale);
    var mark = svg.querySelector("circle.pick");
    function place(x, y) { mark.setAttribute("cx", x); mark.setAttribute("cy", y); }
    function fromInputs() {
      var a = parseFloat(lat.value), o = parseFloat(lng.value);
      if (!isNaN(a) && !isNaN(o)) place((o - x0) * scale, (y1 - a) * scale * 1.17);
    }
    svg.addEventListener("click", function (ev) {
      var p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
      var at = p.matrixTransform(svg.getScreenCTM().inverse());
      lng.value = (x0 + at.x / scale).toFixed(6);
      lat.value = (y1 - at.y / (scale * 1.17)).toFixed(6);
      place(at.x, at.y);
      if (town) town.textContent = ev.target.dataset && ev.target.dataset.name ? ev.target.dataset.name : "";
    });
    lat.addEventListener("input", fromInputs);
    lng.addEventListener("input", fromInputs);
    fromInputs();
  }
  function all() { document.querySelectorAll(".map-picker").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
