/*
 * "Copy citation" button under each record's citation (progressive enhancement).
 *
 * The citation is a plain paragraph (<p class="rl-citation">) that readers can select
 * and copy by hand; where the browser offers the asynchronous clipboard, this script
 * adds a real button after it that copies the paragraph's text and says "Copied" in a
 * polite live region, so screen-reader users hear that it worked.
 *
 * With Material's instant navigation, pages are swapped without a reload and
 * window.document$ emits once per page; without it, DOMContentLoaded is enough.
 */
(function () {
  "use strict";

  var DONE = "rlCopy"; // data-rl-copy on a citation that already has its button

  function citationText(paragraph) {
    return paragraph.textContent.replace(/\s+/g, " ").trim();
  }

  function addButton(paragraph) {
    if (paragraph.dataset[DONE]) {
      return;
    }
    paragraph.dataset[DONE] = "1";

    var bar = document.createElement("div");
    bar.className = "rl-copy-bar";

    var button = document.createElement("button");
    button.type = "button";
    button.className = "rl-copy";
    button.setAttribute("aria-label", "Copy citation");
    button.textContent = "Copy citation";

    var status = document.createElement("span");
    status.className = "rl-copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    var timer = null;
    function say(message) {
      status.textContent = message;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = "";
      }, 4000);
    }

    button.addEventListener("click", function () {
      navigator.clipboard.writeText(citationText(paragraph)).then(
        function () {
          say("Copied");
        },
        function () {
          say("Could not copy: select the citation and copy it by hand");
        }
      );
    });

    bar.appendChild(button);
    bar.appendChild(status);
    paragraph.insertAdjacentElement("afterend", bar);
  }

  function enhance() {
    // No asynchronous clipboard (an old browser, or a page not served over HTTPS):
    // leave the citation as it is rather than show a button that cannot work.
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      return;
    }
    document.querySelectorAll("p.rl-citation").forEach(addButton);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
