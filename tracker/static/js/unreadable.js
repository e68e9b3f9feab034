// A date or time box holding what the browser cannot read (31 February, a time typed
// halfway) sends nothing at all, as if left empty: a post would clear a saved deadline
// without a word. Such a post is stopped, and the box says why (#unreadable-input).
(function () {
  "use strict";

  function noteFor(box) {
    return document.getElementById(box.id + "-unreadable");
  }

  function mark(box) {
    var template = document.getElementById("unreadable-input");
    if (!box.id || !template || noteFor(box)) return;
    if (!box.hasAttribute("aria-invalid")) {
      box.setAttribute("aria-invalid", "true");
      box.setAttribute("data-unreadable-marked", ""); // ours to take back; the server's stays
    }
    var note = template.cloneNode(true);
    note.id = box.id + "-unreadable";
    note.hidden = false;
    note.setAttribute("role", "alert");
    box.insertAdjacentElement("afterend", note);
    box.setAttribute("aria-describedby", ((box.getAttribute("aria-describedby") || "") + " " + note.id).trim());
  }

  // Capturing, on the document: before htmx, which listens on the form, sends anything.
  document.addEventListener("submit", function (event) {
    var unreadable = Array.prototype.filter.call(event.target.querySelectorAll("input"), function (box) {
      return box.validity && box.validity.badInput;
    });
    if (unreadable.length === 0) return;
    event.preventDefault();
    event.stopPropagation();
    unreadable.forEach(mark);
    unreadable[0].focus();
  }, true);

  // Corrected, or cleared (which a date box does without an input event): the note goes.
  function recheck(event) {
    var box = event.target;
    var note = box.id ? noteFor(box) : null;
    if (!note || box.validity.badInput) return;
    note.remove();
    if (box.hasAttribute("data-unreadable-marked")) {
      box.removeAttribute("aria-invalid");
      box.removeAttribute("data-unreadable-marked");
    }
    var described = box.getAttribute("aria-describedby").replace(note.id, "").trim();
    if (described) box.setAttribute("aria-describedby", described);
    else box.removeAttribute("aria-describedby");
  }

  ["input", "change", "focusout"].forEach(function (name) {
    document.addEventListener(name, recheck);
  });
})();
