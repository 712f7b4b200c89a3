// MSMEBazaar portal: the bell's number follows new notifications while a page is open, and a new
// one's title is read out politely. The server renders the number on every page; without this
// script the bell is still right at each page load.
(function () {
  "use strict";

  var bell = document.querySelector("a[data-bell]");
  if (!bell || typeof window.EventSource === "undefined") { return; }
  var count = bell.querySelector("[data-bell-count]");
  var label = bell.querySelector("[data-bell-label]");
  var announcer = document.querySelector("[data-bell-announce]");
  var unread = parseInt(bell.dataset.unread, 10) || 0;
  // The stream answers 429 or 503 when too many are open; EventSource gives up on those, so we
  // reopen it ourselves, waiting longer each time.
  var FIRST_WAIT = 5000;
  var LONGEST_WAIT = 60000;
  var wait = FIRST_WAIT;
  var source = null;
  var timer = null;

  function show(number) {
    unread = Math.max(0, number);
    count.textContent = unread > 99 ? "99+" : String(unread);
    count.hidden = unread === 0;
    label.textContent = unread === 0
      ? bell.dataset.label
      : bell.dataset.labelUnread.replace("{n}", String(unread));
    bell.dataset.unread = String(unread);
  }

  function announce(title) {
    if (!announcer || !title) { return; }
    // Emptied first, so that the same words twice are still read out.
    announcer.textContent = "";
    setTimeout(function () {
      announcer.textContent = bell.dataset.announce.replace("{title}", title);
    }, 100);
  }

  function parsed(event) {
    try { return JSON.parse(event.data); } catch (error) { return null; }
  }

  function open() {
    timer = null;
    var stream = new EventSource("/api/v1/notifications/stream");
    source = stream;
    stream.addEventListener("open", function () {
      wait = FIRST_WAIT;
      bell.dataset.stream = "open";  // for whoever checks that the number is live
    });
    stream.addEventListener("unread", function (event) {
      var data = parsed(event);
      if (data && typeof data.unread === "number") { show(data.unread); }
    });
    stream.addEventListener("notification", function (event) {
      var data = parsed(event);
      if (!data || !data.notification) { return; }
      if (typeof data.unread === "number") {
        show(data.unread);
      } else if (!data.notification.read) {
        show(unread + 1);
      }
      announce(data.notification.title);
    });
    stream.addEventListener("error", function () {
      // While CONNECTING the browser retries by itself; CLOSED means it gave up.
      bell.dataset.stream = stream.readyState === EventSource.CLOSED ? "closed" : "connecting";
      if (stream.readyState !== EventSource.CLOSED) { return; }
      stream.close();
      timer = setTimeout(open, wait);
      wait = Math.min(wait * 2, LONGEST_WAIT);
    });
  }

  open();
  window.addEventListener("pagehide", function () {
    clearTimeout(timer);
    source.close();
  });
  // A page brought back from the back-forward cache opens its stream again (whose first event
  // brings the number up to date).
  window.addEventListener("pageshow", function (event) { if (event.persisted) { open(); } });
})();
