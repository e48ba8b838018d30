// Batch page: poll the batch's progress (JSON) and update the counts and each file's row
// until every file is processed, then reload once to show the letters and warnings.
// No inline script: the admin is meant to run under a Content-Security-Policy.
(function () {
  "use strict";
  const page = document.querySelector("[data-progress-url]");
  if (!page || page.dataset.finished === "1") {
    return;
  }
  const url = page.dataset.progressUrl;
  const bar = document.getElementById("batch-progress");
  const done = document.getElementById("batch-done");
  const state = document.getElementById("batch-state-text");

  function update(progress) {
    bar.max = progress.total;
    bar.value = progress.done;
    done.textContent = progress.done;
    for (const [status, count] of Object.entries(progress.counts)) {
      const cell = page.querySelector('[data-count="' + status + '"]');
      if (cell) {
        cell.textContent = count;
      }
    }
    for (const file of progress.files) {
      const row = page.querySelector('tr[data-file-id="' + file.id + '"]');
      if (row && !row.classList.contains("status-" + file.status)) {
        row.className = "status-" + file.status;
        row.querySelector(".file-status").textContent = file.label;
        row.querySelector(".file-message").textContent = file.message;
      }
    }
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const progress = await response.json();
        update(progress);
        if (progress.finished) {
          state.textContent = "finished";
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // The server may be restarting; keep polling.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
