// MSMEBazaar portal: the few things that update without a reload. Every page works without it.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // GSTIN, PAN and Udyam are checked as the owner types (the server words the verdict).
  function checkIdentifier(input) {
    var form = input.form;
    var params = new URLSearchParams({ value: input.value });
    ["pan", "state"].forEach(function (name) {
      if (form.elements[name]) { params.set(name, form.elements[name].value); }
    });
    // `X-Partial`: a fragment, not a page (the server then skips the header's bell count).
    fetch("/check/" + input.dataset.check + "?" + params.toString(), {
      headers: { "X-Partial": "check" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var target = document.getElementById(input.id + "-error");
        if (!target) { return; }
        target.innerHTML = html;
        var bad = target.querySelector(".bad") !== null;
        input.setAttribute("aria-invalid", bad ? "true" : "false");
        input.closest(".field").classList.toggle("invalid", bad);
      })
      .catch(function () { /* the check on save still runs */ });
  }

  document.querySelectorAll("input[data-check]").forEach(function (input) {
    var run = debounce(function () { checkIdentifier(input); }, 300);
    input.addEventListener("input", run);
    input.addEventListener("blur", function () { checkIdentifier(input); });
  });
  document.querySelectorAll("form[data-profile-form] select[name=state], form[data-profile-form] input[name=pan]")
    .forEach(function (field) {
      field.addEventListener("change", function () {
        var gstin = field.form.querySelector("input[data-check=gstin]");
        if (gstin && gstin.value) { checkIdentifier(gstin); }
      });
    });

  // Search results follow the filters as they change.
  document.querySelectorAll("form[data-live-results]").forEach(function (form) {
    var target = document.getElementById(form.dataset.liveResults);
    if (!target) { return; }
    function refresh() {
      var query = new URLSearchParams(new FormData(form)).toString();
      var url = form.getAttribute("action") + "?" + query;
      fetch(url, { headers: { "X-Partial": "results" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          target.innerHTML = html;
          history.replaceState(null, "", url);
        })
        .catch(function () { /* submitting the form still works */ });
    }
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", refresh);
    });
  });

  // A result shown below a long form takes focus with its top in view (a bare `autofocus`,
  // which works without this, scrolls a tall element only as far as its bottom edge).
  var result = document.querySelector("[data-focus-start]");
  if (result) {
    result.focus({ preventScroll: true });
    result.scrollIntoView({ block: "start" });
  }

  // A deal's new messages join the conversation while the page is open: every few seconds,
  // while the tab is visible, the messages after the last one shown are fetched as HTML and
  // added (the list is a polite live region, so they are read out). Without this, a reload
  // shows them.
  document.querySelectorAll("ol[data-poll-url]").forEach(function (list) {
    var seconds = parseInt(list.dataset.pollSeconds, 10) || 10;
    var busy = false;
    function poll() {
      if (busy || document.hidden) { return; }
      busy = true;
      var url = list.dataset.pollUrl + "?after=" + encodeURIComponent(list.dataset.after || "0");
      fetch(url, { headers: { "X-Partial": "messages" }, credentials: "same-origin" })
        .then(function (response) { return response.status === 200 ? response.text() : ""; })
        .then(function (html) {
          if (!html) { return; }
          var holder = document.createElement("ol");
          holder.innerHTML = html;
          Array.prototype.slice.call(holder.children).forEach(function (item) {
            var position = parseInt(item.dataset.position, 10);
            if (position > parseInt(list.dataset.after || "0", 10)) {
              list.appendChild(item);
              list.dataset.after = String(position);
            }
          });
          var empty = list.parentNode.querySelector("[data-empty-note]");
          if (empty && list.children.length) { empty.remove(); }
        })
        .catch(function () { /* the next poll, or a reload, catches up */ })
        .then(function () { busy = false; });
    }
    setInterval(poll, seconds * 1000);
  });

  // The resend limit counted down: the button waits until a new code may be asked for (the
  // server still refuses one too early, so the page works the same without this).
  document.querySelectorAll("form[data-resend-after]").forEach(function (form) {
    var left = parseInt(form.dataset.resendAfter, 10);
    var note = form.querySelector("[data-countdown]");
    var button = form.querySelector("button[type=submit]");
    if (!(left > 0) || !note || !button) { return; }
    var template = note.dataset.template;
    button.disabled = true;
    var timer = setInterval(function () {
      left -= 1;
      if (left > 0) {
        note.textContent = template.replace("{seconds}", String(left));
        return;
      }
      clearInterval(timer);
      note.textContent = note.dataset.ready;
      button.disabled = false;
    }, 1000);
  });
})();
