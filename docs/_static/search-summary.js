/* Search results: each page's summary is read from its article, with math as plain TeX.

   Sphinx's searchtools.js fetches each found page and summarises the text of its
   [role="main"] element (Search.htmlToText). In sphinx-book-theme that element also holds
   the article's header buttons, so summaries began with "System Settings Light Dark", and
   inline math showed its \( \) delimiters, as MathJax had not run on the fetched page.
   Sphinx has no setting for this, so the page's HTML is adjusted before Sphinx reads it:
   the article becomes the main element and math loses its delimiters. Loaded on every
   page; it acts only where searchtools.js is loaded (the search page). */
(() => {
  "use strict";

  const DELIMITERS = /\\[()[\]]/g;

  function articleOnly(htmlString) {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const article = page.querySelector("article.bd-article");
    if (article) {
      page.querySelectorAll('[role="main"]').forEach((el) => el.removeAttribute("role"));
      article.setAttribute("role", "main");
    }
    page.querySelectorAll(".math").forEach((el) => {
      el.textContent = el.textContent.replace(DELIMITERS, "").trim();
    });
    return page.documentElement.outerHTML;
  }

  function patch() {
    // searchtools.js declares `const Search` at the top level: a global binding, not a
    // property of window.
    if (typeof Search === "undefined" || Search.htmlToText.articleOnly) return;
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => htmlToText(articleOnly(htmlString), anchor);
    Search.htmlToText.articleOnly = true;
  }

  patch();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", patch);
  }
})();
