// After an htmx action: say what it did in the page's one live region (#announcements),
// and put the focus where the reader carries on: the new reply, the moved card, the saved
// confirmation (the server names them: tracker/htmx.py after_swap), or the first field
// in error of a form sent back with its messages. Without it the focus falls to the body.
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var FIELDS = "input:not([type=hidden]), select, textarea";

  function say(text) {
    var region = document.getElementById("announcements");
    if (!region || !text) return;
    region.textContent = "";
    // A moment later, so that the same words said twice in a row are heard twice.
    window.setTimeout(function () { region.textContent = text; }, 100);
  }

  function focusOn(element) {
    if (!element) return;
    if (!element.matches(FOCUSABLE)) element.setAttribute("tabindex", "-1");
    element.focus();
  }

  document.addEventListener("after-swap", function (event) {
    say(event.detail.say);
    if (event.detail.focus) focusOn(document.querySelector(event.detail.focus));
  });

  function lost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Trigger-After-Settle")) return; // the server said where
    var target = event.detail.target;
    if (target && target.isConnected && target.querySelector) {
      var invalid = target.matches("[aria-invalid=true]") ? target : target.querySelector("[aria-invalid=true]");
      if (invalid) focusOn(invalid);
    }
    // The swap took away what had the focus (the link that opened a form, the form a
    // Cancel closed): what came in its place takes it, its first field if it has one, so
    // that a keyboard or screen reader carries on there and not from the top of the page.
    var arrived = event.target;
    if (lost() && arrived instanceof Element && arrived.isConnected && arrived !== document.body) {
      var field = arrived.querySelector(FIELDS);
      if (field) field.focus();
      if (lost()) focusOn(arrived); // no field, or one that cannot take it (disabled, hidden)
    }
  });
})();
