// Search ranking for this site (html_search_scorer in conf/conf.py): Sphinx's default scores,
// plus one rule, that a search lands on the topic page that teaches and proves the term.
// A gallery page's title repeats its topic's words ("Save and load a state_dict"), so on a
// title match it would outrank the topic page; the landing page's cheat sheet and the annotated
// notes mention every term too, and point to the topic pages. tests/test_browser.py checks
// where searches land (SEARCH_LANDINGS).
const TOPIC_PAGE_FIRST = {
  // A gallery page's title match (15) ranks below a topic page's plain-text match (5).
  galleryPenalty: 11,
  // The pages that summarise the others rank just below a topic page that scores the same.
  summaryPenalty: 1,
  summaryPages: new Set(["index", "notes"]),
};

var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    if (docname.startsWith("auto_examples/")) return score - TOPIC_PAGE_FIRST.galleryPenalty;
    if (TOPIC_PAGE_FIRST.summaryPages.has(docname)) return score - TOPIC_PAGE_FIRST.summaryPenalty;
    return score;
  },

  // Sphinx's defaults (sphinx/themes/basic/static/searchtools.js), unchanged.
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {
    0: 15,
    1: 5,
    2: -5,
  },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
