// Say so when an htmx request fails. htmx leaves the page as it was, so without this a
// tap that did nothing (an expired page, a lost connection) looks like a tap that was
// never made. The form and what was typed into it stay as they are.
(function () {
  "use strict";

  function box() {
    return document.getElementById("request-problem");
  }

  function show(reason) {
    var problem = box();
    if (!problem) return;
    problem.querySelector("p").textContent = problem.getAttribute("data-" + reason);
    problem.hidden = false;
  }

  function reasonFor(status) {
    if (status === 400) return "expired"; // the CSRF token no longer matches the session
    if (status === 413) return "too-large"; // over MAX_CONTENT_LENGTH
    if (status >= 500) return "failed";
    return "gone";
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(reasonFor(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function () { show("offline"); });
  document.addEventListener("htmx:timeout", function () { show("offline"); });
  document.addEventListener("htmx:beforeRequest", function () {
    var problem = box();
    if (problem) problem.hidden = true;
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("#request-problem button")) box().hidden = true;
  });
})();
