// Say how much a text box still takes, as it is typed or pasted into: the box has no
// maxlength (a browser would cut a long paste without a word), so the count warns, and
// the server refuses what is too long with the same message beside the box.
(function () {
  "use strict";

  function written(number) {
    var language = document.documentElement.lang === "bn" ? "bn-BD" : "en";
    return number.toLocaleString(language);
  }

  function update(box) {
    var count = document.getElementById(box.id + "-count");
    if (!count) return;
    var left = Number(box.getAttribute("data-limit")) - Array.from(box.value).length;
    var template = count.getAttribute(left < 0 ? "data-over" : "data-left");
    count.textContent = template.replace("%(num)s", written(Math.abs(left)));
    count.classList.toggle("error", left < 0);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-limit]")) update(event.target);
  });
  document.addEventListener("htmx:load", function (event) {
    event.detail.elt.querySelectorAll("textarea[data-limit]").forEach(function (box) {
      if (box.value) update(box);
    });
  });
})();
