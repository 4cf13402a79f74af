// A code block or output that scrolls sideways must be reachable from the keyboard
// (axe-core: scrollable-region-focusable). Only blocks that overflow get a tab stop, as
// pydata-sphinx-theme does, so keyboard users do not tab through every short block.
"use strict";

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
