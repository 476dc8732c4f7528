/* Microcred: the little JavaScript the pages need. Everything works without it;
   this adds the mobile menu, focus on error summaries, and a warning before
   leaving a form with unsaved changes. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  function trackUnsaved(root) {
    (root || document).querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      if (form.dataset.warnBound) return;
      form.dataset.warnBound = "1";
      form.addEventListener("input", function () { form.dataset.dirty = "1"; });
      form.addEventListener("submit", function () { delete form.dataset.dirty; });
    });
  }

  onReady(function () {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        nav.classList.toggle("is-open", !open);
      });
    }
    // Long filter lists push results off a phone's screen: fold them unless one is in use.
    if (window.matchMedia("(max-width: 59.99rem)").matches) {
      document.querySelectorAll("details[data-collapse-on-phone]:not([data-keep-open])").forEach(function (d) {
        d.removeAttribute("open");
      });
    }
    focusErrorSummary();
    trackUnsaved();
    window.addEventListener("beforeunload", function (event) {
      if (document.querySelector("form[data-warn-unsaved][data-dirty]")) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      trackUnsaved(event.detail.target);
      var form = event.detail.target.closest ? event.detail.target.closest("form[data-warn-unsaved]") : null;
      if (form) form.dataset.dirty = "1";
      var wanted = event.detail.target.querySelector("[data-focus-after-swap]");
      if (wanted) wanted.focus(); else focusErrorSummary(event.detail.target);
    });
    document.body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-confirm]");
      if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
