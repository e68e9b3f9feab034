// Keep what was typed when a post cannot go through because the session ended (logged out
// in another tab, say) or the line dropped: htmx then loads the login page whole, and the
// form with it would be gone. The text is kept in the browser's storage before every htmx
// post, dropped once the post got an answer, and put back in the same form when it is
// opened again. (A comment or reply is also kept by the server, which opens its form with
// it after logging in: discussion/drafts.py; this then finds the text already there.)
(function () {
  "use strict";

  var PREFIX = "tracker-draft:";
  var KEPT_FOR = 24 * 60 * 60 * 1000; // a day: an older draft is not put back

  function keyFor(form) {
    var parent = form.querySelector("input[name=parent_id]");
    return PREFIX + form.getAttribute("action") + "#" + (parent ? parent.value : "");
  }

  function typedIn(form) {
    var texts = {};
    form.querySelectorAll("textarea[name]").forEach(function (area) {
      if (area.value.trim()) texts[area.name] = area.value;
    });
    return texts;
  }

  function keep(form) {
    var texts = typedIn(form);
    if (Object.keys(texts).length === 0) return;
    try {
      localStorage.setItem(keyFor(form), JSON.stringify({ at: Date.now(), texts: texts }));
    } catch (error) { /* storage full or refused: nothing more to do */ }
  }

  function forget(key) {
    try { localStorage.removeItem(key); } catch (error) { /* as above */ }
  }

  // The text kept under `key` while under a day old; an older or unreadable one is forgotten.
  function fresh(key) {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { /* not a text we kept */ }
    if (saved && Date.now() - saved.at <= KEPT_FOR) return saved;
    forget(key);
    return null;
  }

  function putBack(root) {
    root.querySelectorAll("form[method=post]").forEach(function (form) {
      var saved = fresh(keyFor(form));
      if (!saved) return;
      forget(keyFor(form));
      var restored = false;
      Object.keys(saved.texts).forEach(function (name) {
        var area = form.querySelector("textarea[name='" + name + "']");
        if (area && !area.value.trim()) {
          area.value = saved.texts[name];
          restored = true;
        }
      });
      var note = document.getElementById("draft-restored");
      if (restored && note) {
        var copy = note.cloneNode(true);
        copy.removeAttribute("id");
        copy.hidden = false;
        form.insertBefore(copy, form.firstChild);
        var region = document.getElementById("announcements"); // the page's live region
        if (region) region.textContent = copy.textContent;
      }
    });
  }

  // Each htmx post's request, and the key its text is kept under: the answer is known by
  // its request, since a form that replaces itself is out of the page once swapped.
  var keptFor = new WeakMap();

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (!form || (event.detail.requestConfig || {}).verb !== "post") return;
    keep(form);
    if (event.detail.xhr) keptFor.set(event.detail.xhr, keyFor(form));
  });
  // Before the answer is swapped in, so before a form it brings looks for a kept text.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var key = xhr ? keptFor.get(xhr) : null;
    // Answered (stored, or sent back with its messages): the page holds the text now, and
    // a text kept on would come back into the next form opened there, to be posted twice.
    if (key && xhr.status >= 200 && xhr.status < 300) forget(key);
  });

  // Texts whose form never came back (a failed post, a page not opened again) go after a day.
  function forgetOld() {
    try {
      for (var index = localStorage.length - 1; index >= 0; index--) {
        var key = localStorage.key(index);
        if (key && key.indexOf(PREFIX) === 0) fresh(key);
      }
    } catch (error) { /* storage refused: nothing more to do */ }
  }

  document.addEventListener("htmx:load", function (event) { putBack(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () {
    forgetOld();
    putBack(document);
  });
})();
