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


  /* Autosaved text: keep a copy in this browser until the server confirms it, so a lost
     connection or an expired session loses nothing; offer it back on the next visit. */
  function bindAutosave(root) {
    (root || document).querySelectorAll("textarea[data-autosave-key]").forEach(function (area) {
      if (area.dataset.autosaveBound) return;
      area.dataset.autosaveBound = "1";
      var key = "microcred:draft:" + area.dataset.autosaveKey;
      var status = document.getElementById(area.id + "_status");
      var saved = null;
      try { saved = window.localStorage.getItem(key); } catch (e) { saved = null; }
      if (saved !== null && saved !== area.value) {
        area.value = saved;
        if (status) status.textContent = "We restored text you typed that was not saved yet. It saves again when you type.";
        area.dispatchEvent(new Event("input", { bubbles: true }));
      }
      area.addEventListener("input", function () {
        try { window.localStorage.setItem(key, area.value); } catch (e) { /* private mode */ }
        countWords(area);
      });
      area.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail.successful) {
          try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
        } else if (status && event.detail.xhr && event.detail.xhr.status !== 400) {
          status.textContent = "Not saved: you may be offline or signed out. Your text is kept in this browser; sign in again and it will be saved.";
        }
      });
      area.addEventListener("htmx:responseError", function (event) {
        if (status && event.detail.xhr.status === 400) status.innerHTML = event.detail.xhr.responseText;
      });
      countWords(area);
    });
  }

  function countWords(area) {
    var out = document.querySelector('[data-word-count-for="' + area.id + '"]');
    if (!out) return;
    var words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
    var max = parseInt(out.getAttribute("data-max-words"), 10);
    var over = max > 0 && words > max;
    out.classList.toggle("is-over", over);
    if (over) out.textContent = "⚠ " + words + " of " + max + " words: " + (words - max) + " over the limit. Shorten it before you submit.";
    else out.textContent = max > 0 ? words + " of " + max + " words" : words + (words === 1 ? " word" : " words");
  }

  /* Large files go up over tus 1.0 (https://tus.io) in pieces that resume after a dropped
     connection; the plain form (one request) is the fallback when the browser cannot slice
     files. A refusal's plain-text body is written for the educator and shown as it is. */
  function bindChunkedUploads(root) {
    (root || document).querySelectorAll("form[data-chunked-upload]").forEach(function (form) {
      if (form.dataset.uploadBound || !window.fetch || !window.Blob || !Blob.prototype.slice) return;
      form.dataset.uploadBound = "1";
      form.addEventListener("submit", function (event) {
        var input = form.querySelector('input[type="file"]');
        if (!input || !input.files || !input.files.length) return; // the server says what is missing
        event.preventDefault();
        upload(form, input.files[0]);
      });
    });
  }

  var TUS = "1.0.0";

  function tusMetadata(pairs) {
    return Object.keys(pairs).map(function (key) {
      // btoa takes bytes: encode the UTF-8 of the value first.
      var bytes = new TextEncoder().encode(pairs[key]);
      var binary = "";
      bytes.forEach(function (b) { binary += String.fromCharCode(b); });
      return key + " " + btoa(binary);
    }).join(",");
  }

  function upload(form, file) {
    var errorBox = form.querySelector("[data-upload-error]");
    var progressBox = form.querySelector("[data-upload-progress]");
    var bar = progressBox.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector('button[type="submit"]');
    var consent = form.querySelector('input[name="consent"]');
    var caption = form.querySelector('input[name="caption"]');
    // Pieces start small and double while each goes up in under a second, up to the largest
    // the server allows: a big file on a fast connection takes few requests (each costs the
    // server a fixed amount of work), while a slow connection keeps short pieces, so the
    // progress moves and a retry resends little. A piece that took long halves the next.
    var firstChunk = parseInt(form.dataset.chunk, 10) || 1048576;
    var largestChunk = Math.max(firstChunk, parseInt(form.dataset.chunkMax, 10) || firstChunk);
    var chunk = firstChunk;
    var retries = 0;
    var conflicts = 0;
    // The same file chosen again on this tab (after a dropped connection, or a reload) goes
    // on from where the server has it instead of starting over.
    var resumeKey = "upload:" + form.dataset.beginUrl + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    function remember(url) { try { sessionStorage.setItem(resumeKey, url); } catch (e) { /* private mode */ } }
    function forget() { try { sessionStorage.removeItem(resumeKey); } catch (e) { /* private mode */ } }
    function remembered() { try { return sessionStorage.getItem(resumeKey); } catch (e) { return null; } }

    function fail(message) {
      errorBox.textContent = message;
      errorBox.hidden = false;
      errorBox.setAttribute("tabindex", "-1");
      errorBox.focus();
      progressBox.hidden = true;
      button.disabled = false;
    }
    function show(offset) {
      var pct = file.size ? Math.floor((offset / file.size) * 100) : 100;
      bar.value = pct;
      status.textContent = "Uploading " + file.name + ": " + pct + " %";
    }
    function refused(response, fallback) {
      forget(); // refused: choosing the file again starts a new upload
      return response.text().then(function (text) {
        var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
        fail(plain && text ? text : fallback + " (" + response.status + ")");
      }, function () { fail(fallback + " (" + response.status + ")"); });
    }
    function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
    function offsetOf(response) { return parseInt(response.headers.get("Upload-Offset"), 10); }
    // Where the server's bytes end (tus HEAD); null when the upload is gone.
    function ask(url) {
      return fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store", headers: { "Tus-Resumable": TUS } })
        .then(function (response) { return response.ok ? offsetOf(response) : null; });
    }
    function finished() {
      forget();
      try { sessionStorage.setItem("microcred:uploaded-into", form.closest("section") ? form.closest("section").id : ""); } catch (e) { /* private mode */ }
      status.textContent = "Uploaded " + file.name + ".";
      var target = new URL(form.dataset.doneUrl, window.location.href);
      if (target.pathname === window.location.pathname && target.search === window.location.search) {
        window.location.hash = target.hash;
        window.location.reload();
      } else {
        window.location.assign(target.href);
      }
    }
    function send(url, offset) {
      var end = Math.min(offset + chunk, file.size);
      var started = Date.now();
      return fetch(url, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Tus-Resumable": TUS, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
        body: file.slice(offset, end)
      }).then(function (response) {
        if (response.ok) {
          retries = 0;
          conflicts = 0;
          var took = Date.now() - started;
          if (took < 1000 && end - offset === chunk) chunk = Math.min(largestChunk, chunk * 2);
          else if (took > 4000) chunk = Math.max(firstChunk, Math.floor(chunk / 2));
          var now = offsetOf(response);
          if (now >= file.size) { finished(); return; }
          show(now);
          return send(url, now);
        }
        if (response.status === 409 && conflicts++ < 8) {
          // Another piece is still arriving, or ours started at the wrong byte: ask, go on.
          return wait(1000 * conflicts).then(function () { return ask(url); }).then(function (now) {
            if (now === null) { forget(); fail("This upload was cancelled. Choose the file and upload it again."); return; }
            return send(url, now);
          });
        }
        return refused(response, "The upload failed. Try again.");
      }, function () {
        // The network dropped: ask where the server is, then carry on from there, in small
        // pieces again.
        chunk = firstChunk;
        if (retries++ > 8) { fail("The connection keeps dropping. Check your network, then choose the same file and upload again: it goes on from where it stopped."); return; }
        status.textContent = "Connection lost; retrying…";
        return wait(Math.min(30000, 1000 * Math.pow(2, retries)))
          .then(function () { return ask(url); })
          .then(function (now) {
            if (now === null) { forget(); fail("This upload was cancelled. Choose the file and upload it again."); return; }
            return send(url, now);
          }, function () { return send(url, offset); });
      });
    }

    errorBox.hidden = true;
    button.disabled = true;
    progressBox.hidden = false;
    show(0);
    var metadata = { filename: file.name };
    if (consent && consent.checked) metadata.consent = "1";
    if (caption && caption.value) metadata.caption = caption.value;
    function begin() {
      return fetch(form.dataset.beginUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Tus-Resumable": TUS, "Upload-Length": String(file.size), "Upload-Metadata": tusMetadata(metadata) }
      }).then(function (response) {
        if (response.status !== 201) return refused(response, "The upload could not start.");
        var url = response.headers.get("Location");
        remember(url);
        return send(url, 0);
      }, function () { fail("Could not reach the server. Check your connection and try again."); });
    }
    var earlier = remembered();
    if (!earlier) { begin(); return; }
    // An upload of this file that did not finish: ask the server how much it has.
    ask(earlier).then(function (offset) {
      if (offset === null || isNaN(offset)) { forget(); return begin(); }
      status.textContent = "Going on with " + file.name + " from where it stopped…";
      show(offset);
      return send(earlier, offset);
    }, function () { fail("Could not reach the server. Check your connection and try again."); });
  }

  onReady(function () {
    bindAutosave();
    bindChunkedUploads();
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
    // Copy a link to the clipboard (badge pages), announcing the result to screen readers.
    document.body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy]");
      if (!button) return;
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      function say(text) { if (status) status.textContent = text; }
      if (!field) return;
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say("Link copied."); },
          function () { say("Press Ctrl+C (or ⌘C) to copy the selected link."); });
      } else {
        say(document.execCommand && document.execCommand("copy") ? "Link copied." : "Press Ctrl+C (or ⌘C) to copy the selected link.");
      }
    });
    // A result shown after a form was sent takes the focus, so it is read out first.
    var result = document.querySelector("[data-focus-on-load]");
    if (result && !document.querySelector("[data-error-summary]")) result.focus();
  });
})();

/* Long texts: each textarea with a limit gets a live "n of max characters" line (said to
   screen readers after a pause in typing), which warns when the text is over the limit. The
   browser's own maxlength would cut a pasted text silently, so the limit moves to a data
   attribute and the server refuses what is over, keeping the text. After an upload the page
   reloads; focus goes to the next thing to do instead of the top of the page. */
(function () {
  "use strict";

  function number(n) { return n.toLocaleString("en-US"); }

  function bindCounters(root) {
    (root || document).querySelectorAll("textarea[maxlength], textarea[data-maxlength]").forEach(function (area) {
      if (area.dataset.countBound || area.readOnly || !area.id) return;
      var max = parseInt(area.getAttribute("maxlength") || area.dataset.maxlength, 10);
      // A limit in the hundreds of thousands (a pasted credential) guards the server, it is
      // nothing to write toward: no counter.
      if (!max || max > 100000) return;
      area.dataset.countBound = "1";
      area.removeAttribute("maxlength");
      area.dataset.maxlength = String(max);
      var line = document.createElement("p");
      line.className = "char-count small";
      var shown = document.createElement("span");
      shown.id = area.id + "_count";
      var spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.setAttribute("aria-live", "polite");
      line.appendChild(shown);
      line.appendChild(spoken);
      area.insertAdjacentElement("afterend", line);
      var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(shown.id);
      area.setAttribute("aria-describedby", described.join(" "));
      var timer = null;
      function text() {
        var n = area.value.length;
        if (n > max) return "⚠ " + number(n) + " of " + number(max) + " characters: " + number(n - max) + " too many. Shorten it to save.";
        return number(n) + " of " + number(max) + " characters";
      }
      function update(speak) {
        shown.textContent = text();
        line.classList.toggle("is-over", area.value.length > max);
        if (!speak) return;
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = text(); }, 900);
      }
      area.addEventListener("input", function () { update(true); });
      update(false);
    });
  }

  // The next thing to do after an upload: another file for the same requirement while it
  // takes more, else the next requirement's first field, else the button that goes on.
  function focusAfterUpload() {
    var id = null;
    try { id = sessionStorage.getItem("microcred:uploaded-into"); sessionStorage.removeItem("microcred:uploaded-into"); } catch (e) { return; }
    var section = id && document.getElementById(id);
    if (!section) return;
    var fields = "input[type=file], textarea:not([readonly])";
    var target = section.querySelector("input[type=file]");
    var next = section.nextElementSibling;
    while (!target && next) {
      target = next.querySelector(fields);
      next = next.nextElementSibling;
    }
    if (!target) target = document.querySelector("[data-after-evidence]");
    if (target) target.focus();
  }

  function ready() {
    bindCounters();
    focusAfterUpload();
    // A Print button where the page offers one (the certificate); without JavaScript the
    // page says to use the browser's print command instead.
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    document.body.addEventListener("htmx:afterSwap", function (event) { bindCounters(event.detail.target); });
  }
  if (document.readyState !== "loading") ready(); else document.addEventListener("DOMContentLoaded", ready);
})();
