"""Streamlit's own words in Swedish: the placeholders of select boxes (a default for every call,
so no page can forget it) and the texts its frontend writes itself (file uploader, "Select all",
"No results", an empty table), which no Python argument reaches."""

from __future__ import annotations

import functools
import json

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

CHOOSE_ONE = "Välj …"
CHOOSE_MANY = "Välj en eller flera …"

# Streamlit frontend text → Swedish. Whole text nodes, button labels and placeholders only.
FRONTEND = {
    "Drag and drop file here": "Dra och släpp filen här",
    "Drag and drop files here": "Dra och släpp filer här",
    "Drag and drop directories here": "Dra och släpp mappar här",
    "Browse files": "Välj fil",
    "Upload": "Välj fil",
    "Select all": "Välj alla",
    "Clear all": "Rensa",
    "No results": "Inga träffar",
    "No options to select": "Inget att välja",
    "Choose an option": CHOOSE_ONE,
    "Choose options": CHOOSE_MANY,
    "empty": "tomt",
    "Running...": "Arbetar …",
    "Stop": "Avbryt",
    # the table toolbar and the full-screen button (tooltips and aria-labels)
    "Download as CSV": "Ladda ner som CSV",
    "Search": "Sök",
    "Fullscreen": "Helskärm",
    "Exit fullscreen": "Lämna helskärm",
    "Close fullscreen": "Lämna helskärm",
    "Toggle fullscreen": "Helskärm av/på",
    "Show/hide columns": "Visa/dölj kolumner",
    "Clear selection": "Avmarkera",
    "Add row": "Lägg till rad",
    "Show data": "Visa data",
    "Show chart": "Visa diagram",
    # the copy button of a code block (Åtgärder: "Din osparade text")
    "Copy to clipboard": "Kopiera",
    "Copy": "Kopiera",
    "Copied": "Kopierat",
    "Copied!": "Kopierat!",
    # the dialog for an address that is no page of the app (or not one the role may open)
    "Page not found": "Sidan finns inte",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Sidan finns inte. Översikt visas i stället.",
    "Close": "Stäng",
}
# "Limit 200MB per file • CSV, XLSX" and "200MB per file • CSV"
PER_FILE = r"(?:Limit )?(\d+)\s?MB per file"
NOT_FOUND = (r"You have requested page /(.*), but no corresponding file was found in the app's pages/ "
             r"directory\. Running the app's main page\.")
# (pattern, replacement) for texts with a number or a name in them
PATTERNS = ((PER_FILE, "Högst $1 MB per fil"),
            (NOT_FOUND, "Sidan /$1 finns inte, eller så får din roll inte öppna den. Översikt visas i stället."))

_SCRIPT = """
<span id="wb-sv-marker"></span>
<style>[data-testid="stElementContainer"]:has(#wb-sv-marker){display:none}</style>
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  // no room taken in the page: the element only carries this script
  const marker = doc.getElementById("wb-sv-marker");
  const box = marker && marker.closest('[data-testid="stElementContainer"]');
  if (box) box.style.display = "none";
  if (win.__wbSwedish) return;
  win.__wbSwedish = true;
  const words = %s;
  const patterns = %s.map(function (pair) { return [new RegExp(pair[0]), pair[1]]; });
  function text(node) {
    const raw = node.nodeValue;
    const trimmed = raw.trim();
    if (Object.prototype.hasOwnProperty.call(words, trimmed)) {
      node.nodeValue = raw.replace(trimmed, words[trimmed]);
      return;
    }
    for (const [pattern, swedish] of patterns) {
      if (pattern.test(raw)) { node.nodeValue = raw.replace(pattern, swedish); return; }
    }
  }
  function attrs(el) {
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = el.getAttribute && el.getAttribute(name);
      if (value && Object.prototype.hasOwnProperty.call(words, value)) el.setAttribute(name, words[value]);
    }
  }
  function sweep(root) {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) return;
    attrs(root);
    const walker = doc.createTreeWalker(root, 5);
    let node;
    while ((node = walker.nextNode())) {
      if (node.nodeType === 3) text(node); else attrs(node);
    }
  }
  sweep(doc.body);
  new win.MutationObserver(function (changes) {
    for (const change of changes) {
      if (change.type === "characterData") text(change.target);
      else if (change.type === "attributes") attrs(change.target);
      else change.addedNodes.forEach(sweep);
    }
  }).observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: ["placeholder", "aria-label", "title"]});
})();
</script>
"""


def frontend_script() -> str:
    return _SCRIPT % (json.dumps(FRONTEND, ensure_ascii=False), json.dumps(PATTERNS, ensure_ascii=False))


def _with_placeholder(method, placeholder: str):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if kwargs.get("placeholder") is None:
            kwargs["placeholder"] = placeholder
        return method(self, *args, **kwargs)

    call.__wb_swedish__ = True  # type: ignore[attr-defined]  # a marker on the wrapper function
    return call


def install() -> None:
    """Swedish placeholders for every select box and multiselect (main area, sidebar, columns,
    forms) and the frontend translator. Called once per run by the entrypoint."""
    for name, placeholder in (("selectbox", CHOOSE_ONE), ("multiselect", CHOOSE_MANY)):
        method = getattr(DeltaGenerator, name)
        if not getattr(method, "__wb_swedish__", False):
            setattr(DeltaGenerator, name, _with_placeholder(method, placeholder))
        setattr(st, name, getattr(st._main, name))  # st.selectbox is bound to the main area
    st.html(frontend_script(), unsafe_allow_javascript=True, width="content")
