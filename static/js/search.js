// Progressive enhancement of the list page. Without it every control still works: the
// form submits with its buttons and every link is a plain link. With it, facet clicks
// submit at once and only the results region (the "results" template partial) is
// refreshed; the URL, the back button and screen-reader announcements keep up.
// No inline script or style anywhere, so a strict Content-Security-Policy holds.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.querySelector("form[data-partial-form]");
    if (!form || !window.fetch || !window.history.pushState) return;
    var pending = null;

    function region() {
      return document.getElementById("results-region");
    }

    function urlFromForm() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (typeof value === "string" && value.trim() !== "") params.append(key, value);
      });
      var query = params.toString();
      return form.getAttribute("action") + (query ? "?" + query : "");
    }

    function load(url, push) {
      if (pending) pending.abort();
      pending = new AbortController();
      var focusedId = document.activeElement && document.activeElement.id;
      document.body.classList.add("is-loading");
      fetch(url, {
        headers: { "X-Partial": "results" },
        cache: "no-store",
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          if (response.redirected || !response.ok) {
            // A case-number jump or an error page: let the browser show it whole.
            window.location.href = response.url || url;
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#results-region");
          if (!fresh) {
            window.location.href = url;
            return;
          }
          region().replaceWith(fresh);
          if (push) window.history.pushState({ partial: true }, "", url);
          document.title = fresh.getAttribute("data-title") || document.title;
          var announce = document.getElementById("announce");
          if (announce) announce.textContent = fresh.getAttribute("data-summary") || "";
          var again = focusedId && document.getElementById(focusedId);
          if (again) again.focus();
          else if (push) document.getElementById("results-heading").focus();
        })
        .catch(function (error) {
          if (error.name !== "AbortError") window.location.href = url;
        })
        .finally(function () {
          document.body.classList.remove("is-loading");
        });
    }

    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-autosubmit")) load(urlFromForm(), true);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(urlFromForm(), true);
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-partial-link]");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      var url = new URL(link.href, window.location.href);
      if (link.getAttribute("href").charAt(0) === "?") url.pathname = form.getAttribute("action");
      var q = document.getElementById("q");
      if (q) q.value = url.searchParams.get("q") || "";
      load(url.pathname + url.search, true);
    });
    window.addEventListener("popstate", function () {
      var q = document.getElementById("q");
      if (q) q.value = new URL(window.location.href).searchParams.get("q") || "";
      load(window.location.pathname + window.location.search, false);
    });
  });
})();
