// The site's own behaviour, loaded on every page after Sphinx's documentation_options.js.
"use strict";

// A code block or output that scrolls sideways must be reachable from the keyboard
// (axe-core: scrollable-region-focusable). Only blocks that overflow get a tab stop, as
// pydata-sphinx-theme does, so keyboard users do not tab through every short block.
function addTabStopsToScrollableBlocks() {
  for (const block of document.querySelectorAll("pre")) {
    if (block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight) {
      block.setAttribute("tabindex", "0");
    } else if (block.getAttribute("tabindex") === "0") {
      block.removeAttribute("tabindex");
    }
  }
}

document.addEventListener("DOMContentLoaded", addTabStopsToScrollableBlocks);
window.addEventListener("resize", addTabStopsToScrollableBlocks);

// Opened from the file system, the search page cannot fetch() the pages it would quote in
// each result's summary (the browser refuses file:// fetches): list the results by title only,
// instead of failing once per result.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
